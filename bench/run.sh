#!/usr/bin/env bash
# Runs the benchmarks and prints their figures; `make bench` calls this.
# The figures for docs/performance.md come from here.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
ROWS=${ROWS:-1000000,10000000}
DIR=${BENCH_DIR:-$(mktemp -d)}
"$BUILD/import_bench" --qingfeng "$BUILD/qingfeng" --rows "$ROWS" --dir "$DIR" \
  --benchmark_counters_tabular=true "$@"
rm -f "$DIR"/qf-bench-payments-*.csv
