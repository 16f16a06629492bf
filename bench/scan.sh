#!/usr/bin/env bash
# Detection benchmark (issue 4, item 7); the second stage of bench/run.sh.
#
#   bash bench/scan.sh [--scale S] [--seed N] [--runs N] [--no-sql] [--keep]
#
# 1. Synthesises the city (`qingfeng synth`; reused when BENCH_DIR already has
#    one of the same scale and seed), imports it into a fresh SQLite store and
#    runs a full `qingfeng scan`: wall time, peak RSS (getrusage of the child),
#    snapshot load time and the per-model seconds the scan prints.
# 2. The SQL comparison: three rules written as plain SQL (bench/sql/*.sql;
#    PostgreSQL variants in bench/sql/pg/) run in SQLite on the store's views
#    and in a throw-away PostgreSQL 15 cluster loaded with the same current
#    rows, against the engine's `qingfeng scan --model ID`. Each is run --runs
#    times (default 3); the best time is reported with the spread (min–max)
#    of the runs, as the machine may be shared. The engine's time is the
#    model's own seconds on the loaded snapshot (load excluded; the end-to-end
#    process time is reported beside it). The three systems' counts of
#    findings and of flagged records are compared record by record.
#
# Environment: BUILD (default build) holds qingfeng; BENCH_DIR (default a
# temporary folder, removed at the end) holds the city, the store and the
# PostgreSQL cluster. The store and the cluster are always removed at the end
# (--keep keeps them); a city in BENCH_DIR is kept for the next run.
# Needs python3 (getrusage), sqlite3 and postgresql-15 (installed with apt-get
# when missing). Figures for docs/performance.md ("Detection") come from here.
set -euo pipefail
cd "$(dirname "$0")/.."

SCALE=100 SEED=1 RUNS=3 SQL=1 KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) SCALE=$2; shift 2 ;;
    --scale=*) SCALE=${1#*=}; shift ;;
    --seed) SEED=$2; shift 2 ;;
    --seed=*) SEED=${1#*=}; shift ;;
    --runs) RUNS=$2; shift 2 ;;
    --runs=*) RUNS=${1#*=}; shift ;;
    --no-sql) SQL=0; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "scan.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

BUILD=${BUILD:-build}
QF=$(cd "$BUILD" && pwd)/qingfeng
[ -x "$QF" ] || { echo "scan.sh: $QF not found; build first (make build)" >&2; exit 1; }
if [ -n "${BENCH_DIR:-}" ]; then
  mkdir -p "$BENCH_DIR"
  DIR=$(cd "$BENCH_DIR" && pwd)
  OWN_DIR=0
else
  DIR=$(mktemp -d /tmp/qf-scan-bench.XXXXXX)
  OWN_DIR=1
fi
CITY=$DIR/city-s$SCALE-seed$SEED
DB=$DIR/scan-bench.db
REPORT=$DIR/scan-bench-report.md
LOG=$DIR/scan-bench.log
WORK=$DIR/scan-bench-work # scratch: timings, outputs, record lists, plans
MODELS=(welfare_after_death duplicate_payment bidders_share_attribute)
declare -A EVIDENCE_DATASET=([welfare_after_death]=welfare [duplicate_payment]=payments
  [bidders_share_attribute]=bids)
SQLITE_CACHE_KIB=1048576 # the same memory PostgreSQL gets as shared_buffers
PG_PORT=54329

say() { echo "[$(date +%T)] $*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# ---------------------------------------------------------------------------
# Cleanup: stop PostgreSQL, remove the store and the cluster (and the whole
# folder when it is ours). Runs on every exit, including Ctrl-C.
PG_STARTED=0 PGROOT="" PG_USER="" PGBIN=""
cleanup() {
  local rc=$?
  set +e
  if [ "$PG_STARTED" = 1 ]; then
    say "stopping PostgreSQL"
    pg_run "$PGBIN/pg_ctl" -D "$PGROOT/data" -m fast -w stop >/dev/null 2>&1
  fi
  if [ "$KEEP" = 0 ]; then
    [ -n "$PGROOT" ] && rm -rf "$PGROOT"
    rm -rf "$DB" "$DB"-* "$DB".* "$WORK"
    if [ "$OWN_DIR" = 1 ]; then rm -rf "$DIR"; fi
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------
# Wall time and peak RSS of a command: `measure OUT cmd...` writes
# "seconds maxrss_kib exit_code" to OUT and returns the command's status.
MEASURE_PY='
import os, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
t0 = time.monotonic()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(cmd[0], cmd)
    finally:
        os._exit(127)
_, status, ru = os.wait4(pid, 0)
wall = time.monotonic() - t0
code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)
with open(out, "w") as f:
    f.write("%.3f %d %d\n" % (wall, ru.ru_maxrss, code))
sys.exit(code)
'
measure() {
  local out=$1; shift
  if command -v python3 >/dev/null; then
    python3 -c "$MEASURE_PY" "$out" "$@"
  elif [ -x /usr/bin/time ]; then
    local rc=0
    /usr/bin/time -f "%e %M %x" -o "$out" "$@" || rc=$?
    return $rc
  else
    local t0 rc=0; t0=$(date +%s.%N)
    "$@" || rc=$?
    echo "$(echo "$(date +%s.%N) - $t0" | bc) 0 $rc" >"$out"
    return $rc
  fi
}
field() { awk -v n="$2" '{print $n}' "$1"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

# ---------------------------------------------------------------------------
# Tools.
need_pkg() { # need_pkg COMMAND PACKAGE
  command -v "$1" >/dev/null && return 0
  say "installing $2 (apt-get)"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$2" >&2
}
if [ "$SQL" = 1 ]; then
  need_pkg sqlite3 sqlite3
  PGBIN=/usr/lib/postgresql/15/bin
  if [ ! -x "$PGBIN/initdb" ]; then
    say "installing postgresql-15 (apt-get)"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends \
      postgresql-15 postgresql-client-15 >&2
  fi
fi

# ---------------------------------------------------------------------------
# 1. The city.
mkdir -p "$WORK"
{
  echo "# qingfeng detection benchmark"
  echo
  echo "$(date -Is), scale $SCALE, seed $SEED, $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM,"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); qingfeng: $QF"
  echo
} >"$REPORT"

STAMP="scale=$SCALE seed=$SEED"
if [ -f "$CITY/.bench-synth" ] && [ "$(cat "$CITY/.bench-synth")" = "$STAMP" ]; then
  say "reusing the city in $CITY"
  echo "City: reused $CITY ($(du -sh "$CITY/" | cut -f1))." >>"$REPORT"
else
  rm -rf "$CITY"
  say "synthesising the city (scale $SCALE) into $CITY"
  measure "$WORK/m.synth" "$QF" --lang en synth --out "$CITY" --scale "$SCALE" --seed "$SEED" \
    >>"$LOG"
  echo "$STAMP" >"$CITY/.bench-synth"
  echo "City: synthesised in $(field "$WORK/m.synth" 1) s, peak RSS $(mib "$(field "$WORK/m.synth" 2)") MiB ($(du -sh "$CITY" | cut -f1))." >>"$REPORT"
fi

# ---------------------------------------------------------------------------
# 2. Import into a fresh store (its kept files and ledger key go with it).
rm -rf "$DB" "$DB"-* "$DB".*
say "importing into $DB"
measure "$WORK/m.import" "$QF" --lang en --db "$DB" import "$CITY" >>"$LOG"
ROWS=$(sqlite3 "$DB" "SELECT SUM(accepted) FROM imports")
QUAR=$(sqlite3 "$DB" "SELECT SUM(quarantined) FROM imports")
{
  echo "Import: $ROWS rows ($QUAR quarantined) in $(field "$WORK/m.import" 1) s, peak RSS $(mib "$(field "$WORK/m.import" 2)") MiB; store $(du -sh "$DB" | cut -f1)."
  echo
  echo "| dataset | current rows |"
  echo "|---|---|"
  for t in persons deaths payments welfare tenders bids; do
    echo "| $t | $(sqlite3 "$DB" "SELECT COUNT(*) FROM $t") |"
  done
  echo
} >>"$REPORT"

# ---------------------------------------------------------------------------
# 3. The full scan.
last_stats() { sqlite3 "$DB" "SELECT stats FROM scans ORDER BY id DESC LIMIT 1"; }
say "full scan"
SCAN_OK=1
measure "$WORK/m.scan" "$QF" --lang en --db "$DB" scan >"$WORK/scan.out" 2>"$WORK/scan.err" || SCAN_OK=0
cat "$WORK/scan.out" >>"$LOG"
{
  echo "## Full scan (every model)"
  echo
  if [ "$SCAN_OK" = 1 ]; then
    echo "Wall time $(field "$WORK/m.scan" 1) s (target ≤ 60 s), peak RSS $(mib "$(field "$WORK/m.scan" 2)") MiB (target ≤ 4096 MiB)."
    echo "$(grep -E '^scan #' "$WORK/scan.out")"
    echo
    echo "Per model (wall seconds, models running in parallel), slowest first:"
    echo
    if command -v python3 >/dev/null; then
      last_stats | python3 -c '
import json, sys
s = json.load(sys.stdin)
print("| model | findings | seconds | status |")
print("|---|---|---|---|")
for m, v in sorted(s.items(), key=lambda kv: -kv[1].get("seconds", 0)):
    print("| %s | %s | %.3f | %s |" % (m, v.get("findings", ""), v.get("seconds", 0),
                                      "ok" if v.get("ok") else "failed"))
print("| **sum of model seconds** | | %.2f | |" % sum(v.get("seconds", 0) for v in s.values()))'
    else
      echo '```'; grep -vE '^scan #' "$WORK/scan.out" || true; echo '```'
    fi
  else
    echo "**The full scan failed** (exit $(field "$WORK/m.scan" 3), after $(field "$WORK/m.scan" 1) s, peak RSS $(mib "$(field "$WORK/m.scan" 2)") MiB):"
    echo
    echo '```'; tail -5 "$WORK/scan.err"; grep -vE '^$' "$WORK/scan.out" | tail -60 || true; echo '```'
  fi
  echo
} >>"$REPORT"

[ "$SQL" = 1 ] || { cat "$REPORT"; exit 0; }

# ---------------------------------------------------------------------------
# 4. The engine, one model at a time (best of RUNS): the model's own seconds,
#    and the whole `qingfeng scan --model ID` process (open the store, load the
#    snapshot the model needs, run, write its leads).
# "min–max" of the numbers given (the spread of the runs; the machine is shared).
spread() { echo "$@" | tr ' ' '\n' | awk 'NF { if (lo == "" || $1 < lo) lo = $1; if (hi == "" || $1 > hi) hi = $1 }
  END { if (lo == "") print "NA"; else printf "%.3f–%.3f", lo, hi }'; }
declare -A ENG_MODEL ENG_WALL ENG_LOAD ENG_FINDINGS ENG_STATUS ENG_RANGE
for m in "${MODELS[@]}"; do
  best_m="" best_w="" load="" all_m=""
  ENG_STATUS[$m]=ok
  for ((i = 1; i <= RUNS; i++)); do
    say "engine $m run $i"
    if ! measure "$WORK/m.one" "$QF" --lang en --db "$DB" scan --model "$m" >"$WORK/one.out" 2>&1; then
      ENG_STATUS[$m]="failed: $(tail -1 "$WORK/one.out")"
      break
    fi
    s=$(last_stats | python3 -c "import json,sys; v=json.load(sys.stdin)['$m']; print(v['seconds'], v['findings'])")
    w=$(field "$WORK/m.one" 1)
    all_m+=" ${s% *}"
    if [ -z "$best_m" ] || awk -v a="${s% *}" -v b="$best_m" 'BEGIN { exit !(a < b) }'; then best_m=${s% *}; fi
    if [ -z "$best_w" ] || awk -v a="$w" -v b="$best_w" 'BEGIN { exit !(a < b) }'; then
      best_w=$w
      load=$(sed -n 's/.*load \([0-9.]*\) s.*/\1/p' "$WORK/one.out")
    fi
    ENG_FINDINGS[$m]=${s#* }
  done
  [ -z "$best_m" ] || best_m=$(awk -v a="$best_m" 'BEGIN { printf "%.4f", a }')
  ENG_MODEL[$m]=${best_m:-NA} ENG_WALL[$m]=${best_w:-NA} ENG_LOAD[$m]=${load:-NA}
  ENG_RANGE[$m]=$(spread $all_m)
  # The records behind the model's active leads (for the record-by-record check).
  mkdir -p "$WORK"
  sqlite3 "$DB" "SELECT DISTINCT e.key FROM leads l JOIN lead_evidence e ON e.lead_id = l.id
                 WHERE l.model = '$m' AND l.detection = 'active'
                   AND e.dataset = '${EVIDENCE_DATASET[$m]}'" | LC_ALL=C sort >"$WORK/$m.engine"
done

# ---------------------------------------------------------------------------
# 5. SQLite: the same queries on the store's views of current rows.
# The query files list (finding, record, …); the timed statement counts both.
query_body() { grep -v '^[[:space:]]*--' "$1" | sed -e 's/;[[:space:]]*$//'; }
timed_sql() { # the counting wrapper around a query file
  echo "SELECT COUNT(DISTINCT finding) || '|' || COUNT(DISTINCT record) FROM ("
  query_body "$1"
  echo ") AS q;"
}
records_sql() {
  echo "SELECT DISTINCT record FROM ("
  query_body "$1"
  echo ") AS q;"
}
declare -A SQLITE_T SQLITE_COUNT SQLITE_RANGE PG_T PG_COUNT PG_RANGE
for m in "${MODELS[@]}"; do
  say "SQLite $m (x$RUNS)"
  {
    echo "PRAGMA cache_size = -$SQLITE_CACHE_KIB;"
    echo ".timer on"
    for ((i = 1; i <= RUNS; i++)); do timed_sql "bench/sql/$m.sql"; done
  } | sqlite3 "$DB" >"$WORK/sqlite.out" 2>&1 || { cat "$WORK/sqlite.out" >&2; exit 1; }
  SQLITE_T[$m]=$(awk '/^Run Time:/ { t = $4; if (best == "" || t < best) best = t } END { print best }' "$WORK/sqlite.out")
  SQLITE_RANGE[$m]=$(spread $(awk '/^Run Time:/ { print $4 }' "$WORK/sqlite.out"))
  SQLITE_COUNT[$m]=$(grep -v '^Run Time' "$WORK/sqlite.out" | head -1 || true)
  records_sql "bench/sql/$m.sql" | sqlite3 "$DB" | LC_ALL=C sort >"$WORK/$m.sqlite"
done

# ---------------------------------------------------------------------------
# 6. PostgreSQL 15: a throw-away cluster on a private socket, owned by the
#    current user (or, as root, by `postgres` or a dedicated user).
pg_run() { if [ -n "$PG_USER" ]; then runuser -u "$PG_USER" -- "$@"; else "$@"; fi; }
if [ "$(id -u)" -eq 0 ]; then
  if id postgres >/dev/null 2>&1; then PG_USER=postgres; else
    id qfbench >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin qfbench
    PG_USER=qfbench
  fi
fi
PGROOT=$DIR/pg
rm -rf "$PGROOT"
mkdir -p "$PGROOT"
if [ -n "$PG_USER" ]; then
  chown "$PG_USER" "$PGROOT"
  # The cluster user must reach the folder; a private parent (mktemp, /root)
  # sends the cluster to a folder of its own under /tmp.
  if ! runuser -u "$PG_USER" -- test -w "$PGROOT"; then
    rmdir "$PGROOT"
    PGROOT=$(mktemp -d /tmp/qf-scan-pg.XXXXXX)
    chown "$PG_USER" "$PGROOT"
  fi
fi
SOCK=$PGROOT/sock
[ ${#SOCK} -lt 90 ] || { SOCK=$(mktemp -d /tmp/qfpg.XXXXXX); [ -z "$PG_USER" ] || chown "$PG_USER" "$SOCK"; }
pg_run mkdir -p "$SOCK"
say "PostgreSQL: initdb in $PGROOT/data${PG_USER:+ (as $PG_USER)}"
pg_run "$PGBIN/initdb" -D "$PGROOT/data" -U qfbench --auth=trust --no-locale -E UTF8 >>"$LOG"
# Sized like the engine and SQLite get: the data fits in memory. fsync and
# synchronous_commit only speed the load; they do not change a SELECT.
pg_run tee -a "$PGROOT/data/postgresql.conf" >/dev/null <<EOF
listen_addresses = ''
port = $PG_PORT
unix_socket_directories = '$SOCK'
shared_buffers = 1GB
work_mem = 256MB
maintenance_work_mem = 1GB
effective_cache_size = 8GB
max_wal_size = 8GB
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
pg_run "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/postgres.log" -w start >/dev/null
PG_STARTED=1
PSQL=("$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -p "$PG_PORT" -U qfbench -d postgres)
PGVER=$("${PSQL[@]}" -At -c "SHOW server_version")

say "PostgreSQL: loading the current rows of welfare, deaths, payments, bids"
cols() { sqlite3 "$DB" "SELECT group_concat(name, ', ') FROM pragma_table_info('$1') WHERE name NOT IN ('_row_id', '_extra')"; }
t0=$(date +%s.%N)
"${PSQL[@]}" -f bench/sql/pg/schema.sql
for t in welfare deaths payments bids; do
  c=$(cols "$t")
  sqlite3 -csv "$DB" "SELECT $c FROM $t" |
    "${PSQL[@]}" -c "\\copy $t ($c) FROM STDIN WITH (FORMAT csv)"
done
t1=$(date +%s.%N)
"${PSQL[@]}" -f bench/sql/pg/indexes.sql
"${PSQL[@]}" -c "VACUUM ANALYZE"
t2=$(date +%s.%N)
PG_LOAD=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
PG_INDEX=$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.1f", b - a }')
PG_SIZE=$("${PSQL[@]}" -At -c "SELECT pg_size_pretty(pg_database_size('postgres'))")

# Each query under three settings, best of RUNS each: the configuration above
# (JIT compilation on, the server default; work_mem 256 MB), JIT off, and JIT
# off with the default work_mem of 4 MB. The recursive part of
# duplicate_payment is estimated at billions of rows, so PostgreSQL spends
# seconds JIT-compiling it and sizes the recursive UNION's hash table to
# work_mem (zeroing hundreds of MB) although it holds a few rows; a DBA would
# try these settings, so the comparison takes the best of the three.
PG_CFGS=("on 256MB" "off 256MB" "off 4MB")
best_time() { awk '/^Time:/ { t = $2 / 1000; if (best == "" || t < best) best = t } END { printf "%.3f", best }' "$1"; }
declare -A PG_CFG_T PG_BEST_CFG
for m in "${MODELS[@]}"; do
  q=bench/sql/pg/$m.sql
  [ -f "$q" ] || q=bench/sql/$m.sql
  for k in "${!PG_CFGS[@]}"; do
    read -r jit wm <<<"${PG_CFGS[$k]}"
    say "PostgreSQL $m, jit $jit, work_mem $wm (x$RUNS)"
    {
      echo "SET jit = $jit;"
      echo "SET work_mem = '$wm';"
      echo '\timing on'
      for ((i = 1; i <= RUNS; i++)); do timed_sql "$q"; done
    } | "${PSQL[@]}" -At >"$WORK/pg.out" 2>&1 || { cat "$WORK/pg.out" >&2; exit 1; }
    # "Time: 1234.567 ms (00:01.235)" → seconds
    t=$(best_time "$WORK/pg.out")
    PG_CFG_T[$m,$k]=$t
    if [ -z "${PG_T[$m]:-}" ] || awk -v a="$t" -v b="${PG_T[$m]}" 'BEGIN { exit !(a < b) }'; then
      PG_T[$m]=$t PG_BEST_CFG[$m]=$k
      PG_RANGE[$m]=$(spread $(awk '/^Time:/ { print $2 / 1000 }' "$WORK/pg.out"))
    fi
    PG_COUNT[$m]=$(grep -v '^Time:' "$WORK/pg.out" | head -1 || true)
  done
  records_sql "$q" | "${PSQL[@]}" -At | LC_ALL=C sort >"$WORK/$m.pg"
  read -r jit wm <<<"${PG_CFGS[${PG_BEST_CFG[$m]}]}"
  { echo "SET jit = $jit;"; echo "SET work_mem = '$wm';"; echo "EXPLAIN (ANALYZE, BUFFERS)"
    query_body "$q"; echo ";"; } | "${PSQL[@]}" >"$WORK/$m.pg-plan" 2>&1 || true
done

# ---------------------------------------------------------------------------
# 7. The comparison.
fr() { echo "${1%%|*} / ${1##*|}"; } # "findings|records" → "findings / records"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0 && a != "NA") { r = a / b; printf (r < 10 ? "%.1f×" : "%.0f×"), r } else print "n/a" }'; }
{
  echo "## SQL comparison (best of $RUNS)"
  echo
  echo "PostgreSQL $PGVER (throw-away cluster, C locale, shared_buffers 1 GB, work_mem 256 MB,"
  echo "indexes of bench/sql/pg/indexes.sql, VACUUM ANALYZE): loaded in $PG_LOAD s, indexed and analysed in $PG_INDEX s, $PG_SIZE."
  echo "SQLite $(sqlite3 --version | cut -d' ' -f1) on the store's views (no extra indexes; cache $((SQLITE_CACHE_KIB / 1024)) MiB)."
  echo "Engine = the model's own seconds on the loaded snapshot (\`scan --model\`); end to end = the whole"
  echo "\`qingfeng scan --model ID\` process (open the store, load the columns the model reads, run, write leads)."
  echo
  echo "PostgreSQL s = the best of three settings (below). Each time is the best of $RUNS runs;"
  echo "the spread of the runs follows it (min–max; for PostgreSQL, of the best setting). The"
  echo "PG / engine ratio is best against best; the worst case divides PG's best by the engine's worst run."
  echo
  echo "| rule | engine model s (spread) | engine end to end s (load) | SQLite s (spread) | PostgreSQL s (spread) | PG / engine | PG best / engine worst | SQLite / engine | PG / engine end to end |"
  echo "|---|---|---|---|---|---|---|---|---|"
  for m in "${MODELS[@]}"; do
    worst=${ENG_RANGE[$m]#*–}
    echo "| $m | ${ENG_MODEL[$m]} (${ENG_RANGE[$m]}) | ${ENG_WALL[$m]} (${ENG_LOAD[$m]}) | ${SQLITE_T[$m]} (${SQLITE_RANGE[$m]}) | ${PG_T[$m]} (${PG_RANGE[$m]}) | $(ratio "${PG_T[$m]}" "${ENG_MODEL[$m]}") | $(ratio "${PG_T[$m]}" "$worst") | $(ratio "${SQLITE_T[$m]}" "${ENG_MODEL[$m]}") | $(ratio "${PG_T[$m]}" "${ENG_WALL[$m]}") |"
  done
  echo
  echo "PostgreSQL seconds by setting:"
  echo
  echo "| rule | jit on, work_mem 256 MB | jit off, work_mem 256 MB | jit off, work_mem 4 MB |"
  echo "|---|---|---|---|"
  for m in "${MODELS[@]}"; do
    echo "| $m | ${PG_CFG_T[$m,0]} | ${PG_CFG_T[$m,1]} | ${PG_CFG_T[$m,2]} |"
  done
  echo
  echo "Findings / flagged records per system, and the record-by-record check against the engine's lead evidence:"
  echo
  echo "| rule | engine | SQLite | PostgreSQL | records only in engine / only in SQLite / only in PG |"
  echo "|---|---|---|---|---|"
  for m in "${MODELS[@]}"; do
    e=$WORK/$m.engine s=$WORK/$m.sqlite p=$WORK/$m.pg
    only_e=$(LC_ALL=C comm -23 "$e" <(LC_ALL=C sort -u "$s" "$p") | wc -l)
    only_s=$(LC_ALL=C comm -13 "$e" "$s" | wc -l)
    only_p=$(LC_ALL=C comm -13 "$e" "$p" | wc -l)
    echo "| $m | ${ENG_FINDINGS[$m]:-NA} / $(wc -l <"$e") | $(fr "${SQLITE_COUNT[$m]}") | $(fr "${PG_COUNT[$m]}") | $only_e / $only_s / $only_p |"
    [ "${ENG_STATUS[$m]}" = ok ] || echo "| $m: engine ${ENG_STATUS[$m]} | | | | |"
  done
  echo
} >>"$REPORT"
cat "$REPORT"
if [ "$OWN_DIR" = 0 ]; then say "report kept in $REPORT"; fi
