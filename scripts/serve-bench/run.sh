#!/usr/bin/env bash
# Load test of `fraudscan serve` on loopback with wrk (Debian's `wrk`): single-event
# requests and batches of 1 000, 8 to 64 connections, durable acknowledgement on
# (fsync) and relaxed (process). Prints requests/s, events/s, latency percentiles and
# the server's peak resident memory for each run. A bench, not a test: run it on a
# quiet machine (load < 2) against a release build.
#
#   swift build -c release && scripts/serve-bench/run.sh [BINARY] [SECONDS]
#
# DURABILITY, CONNECTIONS and BATCHES choose the rows (defaults "fsync process", "8 64",
# "1 1000"), e.g. CONNECTIONS="16 32" BATCHES=1 DURABILITY=fsync scripts/serve-bench/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
BINARY="${1:-}" source "$here/server.sh"
seconds="${2:-15}"
port=18089

run() {  # durability connections batch
  local durability=$1 connections=$2 batch=$3
  start_server "$port" "$durability"
  local threads=$(( connections < 2 ? connections : 2 ))
  local out
  out=$(BATCH=$batch wrk -t "$threads" -c "$connections" -d "${seconds}s" --timeout 10s --latency \
    -s "$here/events.lua" "http://127.0.0.1:$port/v1/events")
  local rss
  rss=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")
  kill -TERM "$server"; wait "$server" || true
  local rps
  rps=$(echo "$out" | awk '/^requests\/s/ {print $2}')
  printf '%-8s conns=%-3s batch=%-5s %s req/s, %s events/s, %s, peak RSS %s MiB, %s\n' \
    "$durability" "$connections" "$batch" "$rps" "$((rps * batch))" \
    "$(echo "$out" | grep '^p50')" "$((rss / 1024))" "$(echo "$out" | grep '^requests [0-9]')"
}

for durability in ${DURABILITY:-fsync process}; do
  for connections in ${CONNECTIONS:-8 64}; do
    for batch in ${BATCHES:-1 1000}; do run "$durability" "$connections" "$batch"; done
  done
done
