#!/usr/bin/env bash
# Where the service's CPU goes under load: runs `fraudscan serve` (fsync) on loopback under
# wrk (64 connections, BATCH events a request) and prints, over 5 s of the run, the CPU each
# server thread used (serve-commit, serve-writer, serve-fsync, serve-checkpt, the HTTP event
# loops), wrk's, and how much of the machine's CPU stayed idle. A bench, not a test: run it
# on a quiet machine against a release build. BENCHMARKS.md's "idle share of the two cores"
# comes from it.
#
#   scripts/serve-bench/threads.sh [BINARY] [BATCH]      (defaults: the release build, 1000)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
BINARY="${1:-}" source "$here/server.sh"
batch="${2:-1000}"
port=18092
start_server "$port" fsync
BATCH=$batch wrk -t 2 -c 64 -d 10s --timeout 10s --latency -s "$here/events.lua" \
  "http://127.0.0.1:$port/v1/events" > "$work/wrk.out" &
load=$!
sleep 2
generator=$(pgrep -n wrk)
ticks() { awk '{print $14 + $15}' "$1"; }   # utime + stime, in clock ticks
idle() { awk '/^cpu / {print $5 + $6}' /proc/stat; }   # idle + iowait over all cores
threads() {
  for task in /proc/"$server"/task/*; do echo "$(cat "$task/comm") $(ticks "$task/stat")"; done |
    awk '{sum[$1] += $2} END {for (t in sum) print t, sum[t]}'
}
before=$(threads); wrk0=$(ticks /proc/"$generator"/stat); idle0=$(idle)
sleep 5
after=$(threads); wrk1=$(ticks /proc/"$generator"/stat); idle1=$(idle)
hz=$(getconf CLK_TCK); cores=$(nproc)
echo "over 5 s, CPU seconds (the machine has $cores cores: $((5 * cores)) CPU seconds):"
join <(echo "$before" | sort) <(echo "$after" | sort) |
  awk -v hz="$hz" '{printf "  %-18s %6.2f\n", $1, ($3 - $2) / hz}' | sort -k2 -n -r
awk -v hz="$hz" -v w="$((wrk1 - wrk0))" -v i="$((idle1 - idle0))" -v c="$cores" \
  'BEGIN {printf "  %-18s %6.2f\n  idle share of the cores: %.0f %%\n", "wrk", w / hz, 100 * i / hz / (5 * c)}'
wait "$load"
grep -E "requests/s|p50" "$work/wrk.out"
