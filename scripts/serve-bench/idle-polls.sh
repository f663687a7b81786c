#!/usr/bin/env bash
# What idle long polls cost `fraudscan serve`: the server's CPU time (user + system,
# /proc/PID/stat) over SECONDS while POLLS clients each hold a GET /v1/decisions that
# nothing answers (one event stored, `after=0&wait=25`); then how soon they are all
# answered once a second event is (from that POST's answer to the last poll's curl
# exiting, process ends included). A bench, not a test.
#
#   swift build -c release && scripts/serve-bench/idle-polls.sh [BINARY] [PORT]
#
# POLLS (default 64) and MEASURE_SECONDS (default 10) choose the load.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
binary="${1:-$here/../../.build/release/fraudscan}"
port="${2:-18180}"
polls="${POLLS:-64}"
seconds="${MEASURE_SECONDS:-10}"
dir="$(mktemp -d)"
echo token-for-the-bench > "$dir/token"
"$binary" serve --state "$dir/state.sqlite" --listen "127.0.0.1:$port" --token-file "$dir/token" > "$dir/log" 2>&1 &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" > /dev/null && break; sleep 0.1; done
auth="Authorization: Bearer token-for-the-bench"
curl -sf -H "$auth" -d '{"type":"payment","id":"p1","src":"a","dst":"b","amount":"120.50","ts":1767225600}' \
  "http://127.0.0.1:$port/v1/events" > /dev/null
pids=()
for _ in $(seq "$polls"); do
  curl -s -m 30 -H "$auth" "http://127.0.0.1:$port/v1/decisions?after=0&wait=25" > /dev/null &
  pids+=($!)
done
sleep 3
ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
before=$(ticks)
sleep "$seconds"
after=$(ticks)
waiting=$(curl -s "http://127.0.0.1:$port/metrics" | grep '^fraudscan_long_polls_waiting' || true)
cpu=$(awk -v t="$((after - before))" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }')
echo "server CPU over ${seconds} s with $polls idle polls: $cpu s ($waiting)"
curl -sf -H "$auth" -d '{"type":"payment","id":"p2","src":"b","dst":"c","amount":"80.25","ts":1767225700}' \
  "http://127.0.0.1:$port/v1/events" > /dev/null
answered=$(date +%s%N)
wait "${pids[@]}"
echo "all $polls polls answered $((($(date +%s%N) - answered) / 1000000)) ms after the second event's answer"
