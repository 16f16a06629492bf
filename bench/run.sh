#!/usr/bin/env bash
# Runs the benchmarks and prints their figures; `make bench` calls this.
# The figures for docs/performance.md come from here.
#   stage 1: import (bench/import_bench.cc), ROWS rows;
#   stage 2: detection (bench/scan.sh): synth scale SCALE (default 100), import,
#            full scan, and the SQL comparison with SQLite and PostgreSQL 15.
#            SCAN=0 skips it; BENCH_DIR, when set, keeps the synthetic city there;
#   stage 3: the server (bench/serve.sh): wrk with 256 keep-alive connections
#            on the lead list of a scale-1 demo city. SERVE=0 skips it.
#   stage 4: the relationship network: entity resolution of name-only records
#            (bench/linkage_bench.cc, 1M against 1M by default) and the graph
#            (bench/graph_bench.cc: build and conflict search on a synthetic
#            city of NETWORK_SCALE, default 100; QF_BENCH_DB reuses a store).
#            NETWORK=0 skips it.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
ROWS=${ROWS:-1000000,10000000}
DIR=${BENCH_DIR:-$(mktemp -d)}
"$BUILD/import_bench" --qingfeng "$BUILD/qingfeng" --rows "$ROWS" --dir "$DIR" \
  --benchmark_counters_tabular=true "$@"
rm -f "$DIR"/qf-bench-payments-*.csv
if [ "${SCAN:-1}" != 0 ]; then
  BUILD=$BUILD BENCH_DIR=${BENCH_DIR:-} bash bench/scan.sh --scale "${SCALE:-100}"
fi
if [ "${SERVE:-1}" != 0 ]; then
  BUILD=$BUILD BENCH_DIR=${BENCH_DIR:-} bash bench/serve.sh
fi
if [ "${NETWORK:-1}" != 0 ]; then
  "$BUILD/linkage_bench" --n 1000000 --threads 2 --benchmark_counters_tabular=true
  "$BUILD/graph_bench" --scale "${NETWORK_SCALE:-100}" --dir "$DIR" \
    --benchmark_counters_tabular=true
fi
