#!/usr/bin/env bash
# Builds one libFuzzer harness of fraudscan and fuzzes it for a while.
#
#   fuzz/run.sh TARGET SECONDS     TARGET: csv, events or checkpoint
#
# The libraries are compiled with `swiftc -O -sanitize=fuzzer,address` (the
# libFuzzer runtime ships with the Swift toolchain) into .build-fuzz/, apart
# from SwiftPM's .build/, and rebuilt only when a source is newer. The run
# starts from the seeds in fuzz/corpus/TARGET (left unchanged) and keeps what
# it learns in .build-fuzz/corpus/TARGET. A crash, a failed check, a leak,
# more than 2 GB of memory or an input taking over 10 s stops it with exit
# status 1 and the input in .build-fuzz/artifacts/TARGET/ (replay it with
# `.build-fuzz/fuzz-TARGET FILE`).
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:?usage: fuzz/run.sh csv|events|checkpoint SECONDS}"
seconds="${2:?usage: fuzz/run.sh csv|events|checkpoint SECONDS}"
case "$target" in
  csv) harness=FuzzCSV.swift; modules=(SplitMix SignalGraph) ;;
  events) harness=FuzzEvents.swift; modules=(SplitMix SignalGraph) ;;
  checkpoint) harness=FuzzCheckpoint.swift; modules=(SplitMix SignalGraph InlinePrefilter) ;;
  *) echo "run.sh: unknown target '$target' (csv, events or checkpoint)" >&2; exit 2 ;;
esac
out=.build-fuzz
mkdir -p "$out/artifacts/$target" "$out/corpus/$target"
flags=(-O -swift-version 6 -package-name fraudscan -sanitize=fuzzer,address -parse-as-library
  -I "$out" -I Sources/CSQLite -I Sources/CLapack)

# Compiles Sources/MODULE into one object and its interface, when a source
# changed since the last compile started (the stamp is taken before it).
build_module() {
  local module=$1 object="$out/$1.o" stamp="$out/$1.stamp"
  if [[ -f "$object" && -f "$stamp" ]] && [[ -z "$(find "Sources/$module" -name '*.swift' -newer "$stamp" | head -1)" ]]; then
    return
  fi
  echo "run.sh: compiling $module with -sanitize=fuzzer,address" >&2
  touch "$stamp.next"
  swiftc "${flags[@]}" -wmo -module-name "$module" -emit-module -emit-module-path "$out/$module.swiftmodule" \
    -c -o "$object" $(find "Sources/$module" -name '*.swift' | sort)
  mv "$stamp.next" "$stamp"
}
objects=()
for module in "${modules[@]}"; do
  build_module "$module"
  objects+=("$out/$module.o")
done
binary="$out/fuzz-$target"
if [[ ! -x "$binary" ]] || [[ "fuzz/$harness" -nt "$binary" ]] || [[ -n "$(find "${objects[@]}" -newer "$binary")" ]]; then
  swiftc "${flags[@]}" -use-ld=lld -module-name "Fuzz_$target" "fuzz/$harness" "${objects[@]}" -o "$binary"
fi

# The checkpoint harness writes fresh checkpoints of this build as seeds (the
# committed ones may be of an older format, which the restore refuses early).
# Swift's own backtracer is off so that libFuzzer and the address sanitizer report a crash.
SWIFT_BACKTRACE=enable=no FRAUDSCAN_FUZZ_SEEDS="$out/corpus/$target" \
  "$binary" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
  -artifact_prefix="$out/artifacts/$target/" "$out/corpus/$target" "fuzz/corpus/$target"
