#!/usr/bin/env bash
# Server benchmark (issue 7): wrk, a second process, holds CONNS keep-alive
# connections (default 256) on the lead list of a signed-in analyst for
# DURATION seconds and reports req/s and latency percentiles.
#   BENCH_DB   an existing scanned database to serve (default: a scale-1 demo
#              city built once under $BENCH_DIR or a temporary directory)
#   CONNS, DURATION, WRK_THREADS, SERVE_THREADS, PATH_QUERY
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
QF=$PWD/$BUILD/qingfeng
CONNS=${CONNS:-256}
DURATION=${DURATION:-20}
WRK_THREADS=${WRK_THREADS:-2}
SERVE_THREADS=${SERVE_THREADS:-$(nproc)}
PATH_QUERY=${PATH_QUERY:-/api/leads}
DIR=${BENCH_DIR:-$(mktemp -d)}
command -v wrk >/dev/null || { echo "wrk is missing: make setup installs it" >&2; exit 1; }

DB=${BENCH_DB:-$DIR/serve-bench.db}
if [ ! -f "$DB" ]; then
  echo "== building a scale-1 demo city in $DB"
  "$QF" --db "$DB" demo --no-serve >/dev/null
fi
# A dedicated account; its password comes from here, never from the repository.
PASSWORD=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
if ! printf '%s\n' "$PASSWORD" | "$QF" --db "$DB" user add bench --role analyst \
    --display-name 基准测试 >/dev/null 2>&1; then
  "$QF" --db "$DB" user enable bench >/dev/null 2>&1 || true
  "$QF" --db "$DB" user unlock bench >/dev/null 2>&1 || true
  printf '%s\n' "$PASSWORD" | "$QF" --db "$DB" user passwd bench >/dev/null
fi

LOG=$DIR/serve.log
"$QF" --db "$DB" serve --port 0 --threads "$SERVE_THREADS" >"$LOG" 2>&1 &
SERVER=$!
trap 'kill -TERM $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  URL=$(grep -o 'http://[0-9.]*:[0-9]*' "$LOG" | head -1 || true)
  [ -n "$URL" ] && break
  sleep 0.1
done
[ -n "$URL" ] || { cat "$LOG" >&2; exit 1; }

COOKIES=$DIR/cookies.txt
curl -fsS -c "$COOKIES" -H 'Content-Type: application/json' \
  -d "{\"name\":\"bench\",\"password\":\"$PASSWORD\"}" "$URL/api/login" >/dev/null
SESSION=$(awk '$6 == "qf_session" {print $7}' "$COOKIES")
[ -n "$SESSION" ] || { echo "sign-in failed" >&2; exit 1; }
curl -fsS -o "$DIR/first.json" -H "Cookie: qf_session=$SESSION" "$URL$PATH_QUERY"
BODY=$(head -c 200 "$DIR/first.json")
echo "== $URL$PATH_QUERY → ${BODY:0:120}…"
echo "== wrk: $CONNS keep-alive connections, $WRK_THREADS threads, ${DURATION}s;" \
  "server: $SERVE_THREADS I/O threads on $(nproc) cores"
wrk -t "$WRK_THREADS" -c "$CONNS" -d "${DURATION}s" --latency --timeout 10s \
  -H "Cookie: qf_session=$SESSION" "$URL$PATH_QUERY"
