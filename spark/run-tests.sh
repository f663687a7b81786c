#!/usr/bin/env bash
# The Spark scan's tests (issue 14): the report port, and the Spark scan with local[2] compared
# account by account with `.build/debug/fraudscan scan` on fixtures and a tiny synthetic set.
#   bash .ci/setup --spark && swift build && spark/run-tests.sh [pytest args]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
venv="$here/.venv"
if [[ ! -x "$venv/bin/python" ]]; then
  echo "run-tests: no $venv: run 'bash .ci/setup --spark' first" >&2
  exit 1
fi
bin="${FRAUDSCAN_BIN:-$root/.build/debug/fraudscan}"
if [[ ! -x "$bin" ]]; then
  echo "run-tests: $bin is not built: run 'swift build' first (or set FRAUDSCAN_BIN)" >&2
  exit 1
fi
export FRAUDSCAN_BIN="$bin" OPENBLAS_NUM_THREADS=1 PYSPARK_PYTHON="$venv/bin/python"
cd "$here"
exec "$venv/bin/python" -m pytest -q -p no:cacheprovider tests "$@"
