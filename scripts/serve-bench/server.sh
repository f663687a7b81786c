# Sourced by the serve benches (run.sh, threads.sh): what they share. Expects `here` (the
# benches' folder) and the bench's first argument as BINARY; sets `binary`, `work` (a
# temporary folder, removed on exit with the server), `FRAUDSCAN_TOKEN`, and defines
# `start_server PORT DURABILITY`, which starts `fraudscan serve` on loopback with a fresh
# state file and returns once it answers /healthz, its pid in `server`.
binary="${BINARY:-$here/../../.build/release/fraudscan}"
command -v wrk >/dev/null || { echo "needs wrk: apt-get install -y wrk" >&2; exit 1; }
work="$(mktemp -d)"
server=""
# The server is waited for: a bench run right after this one takes the same port.
trap 'if [ -n "$server" ]; then kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; fi; rm -rf "$work"' EXIT
export FRAUDSCAN_TOKEN="bench-$(date +%s)"

start_server() {  # port durability
  rm -f "$work"/state.sqlite*
  "$binary" serve --state "$work/state.sqlite" --listen "127.0.0.1:$1" --durability "$2" \
    --max-body-bytes $((64 << 20)) --log-level warning &
  server=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$1/healthz" >/dev/null && break; sleep 0.1; done
}
