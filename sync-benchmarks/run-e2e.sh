#!/usr/bin/env bash
# End-to-end harness: runs the bundle (sync.jar) on real workloads and prints one table.
#
#   sync-benchmarks/run-e2e.sh
#
# Every figure is measured in this run, next to its baseline:
#   generator -> blackhole     GEN_ROWS records at concurrency 1 and 2 (no I/O at all)
#   PostgreSQL -> PostgreSQL   PG_ROWS rows of 5 columns, against `psql COPY TO STDOUT | psql COPY FROM STDIN`
#   MariaDB -> PostgreSQL      MARIADB_ROWS rows, against `mariadb --batch | psql COPY FROM STDIN`
#   PostgreSQL -> MariaDB      MARIADB_ROWS rows, against `psql COPY TO STDOUT | mariadb LOAD DATA LOCAL INFILE`
# Ferry's speed is the report's recordsPerSecond (SYNC stage); "job" speed divides the rows by the
# whole process's wall time (JVM start, PRE, SPLIT, SYNC, POST), which is what the pipe's speed is.
# Each Ferry run also gets its CPU time and maximum resident set size (/usr/bin/time) and its peak
# heap (the largest heap occupancy before a collection in -Xlog:gc).
#
# It builds nothing unless sync.jar is missing (then: mvn -q -DskipTests package). Source tables
# (ferry_bench_src) are created server-side once and reused while their row count matches; set
# FRESH_TABLES=1 to recreate them. Target tables are ferry_bench_dst. Nothing here runs as a test.
#
# Environment (defaults in brackets):
#   GEN_ROWS [100000000]  PG_ROWS [10000000]  MARIADB_ROWS [2000000, at most PG_ROWS]
#   DB_CONCURRENCY [2]    HEAP [256m]         SKIP_GEN, SKIP_PG, SKIP_MARIADB [unset]
#   PGHOST [127.0.0.1] PGPORT [5432] PGDATABASE [test] PGUSER [root]  (no password)
#   MARIADB_HOST [127.0.0.1] MARIADB_PORT [3306] MARIADB_DATABASE [test] MARIADB_USER [root] (empty password)
#   WORK [a new temporary directory]: job files, reports, logs
#
# On the 2-core development machine (shared, loaded) the defaults took 3 minutes with the source
# tables in place and 6.5 minutes on the first run, which creates them; MARIADB_ROWS=10000000
# took 6.7 minutes without the generator rows, creating its 10 M-row MariaDB table included.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/sync-connectors/sync-bundle/target/sync.jar"

GEN_ROWS="${GEN_ROWS:-100000000}"
PG_ROWS="${PG_ROWS:-10000000}"
MARIADB_ROWS="${MARIADB_ROWS:-2000000}"
DB_CONCURRENCY="${DB_CONCURRENCY:-2}"
HEAP="${HEAP:-256m}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGDATABASE="${PGDATABASE:-test}" PGUSER="${PGUSER:-root}"
MARIADB_HOST="${MARIADB_HOST:-127.0.0.1}"
MARIADB_PORT="${MARIADB_PORT:-3306}"
MARIADB_DATABASE="${MARIADB_DATABASE:-test}"
MARIADB_USER="${MARIADB_USER:-root}"
WORK="${WORK:-$(mktemp -d -t ferry-e2e.XXXXXX)}"
mkdir -p "$WORK"

PG_URL="jdbc:postgresql://$PGHOST:$PGPORT/$PGDATABASE"
MARIADB_URL="jdbc:mariadb://$MARIADB_HOST:$MARIADB_PORT/$MARIADB_DATABASE"

die() { echo "run-e2e: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

[[ -x /usr/bin/time ]] || die "/usr/bin/time is needed for the RSS column (apt-get install time)"
command -v java >/dev/null || die "java is not on the PATH"
(( MARIADB_ROWS <= PG_ROWS )) || die "MARIADB_ROWS ($MARIADB_ROWS) must be <= PG_ROWS ($PG_ROWS): PostgreSQL -> MariaDB reads the PostgreSQL source table"

if [[ ! -f "$JAR" ]]; then
    log "sync.jar is missing; building it (mvn -q -DskipTests package)"
    (cd "$ROOT" && mvn -q -DskipTests package)
fi

# shellcheck source=lib/pg-source-table.sh
source "$ROOT/sync-benchmarks/lib/pg-source-table.sh"
mariadb_q() { mariadb -h "$MARIADB_HOST" -P "$MARIADB_PORT" -u "$MARIADB_USER" "$@" "$MARIADB_DATABASE"; }
now() { date +%s.%N; }
# rate ROWS SECONDS -> records per second, integer
rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "-" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.2f", a / b; else print "-" }'; }

FORMAT='%-30s %10s %11s %11s %11s %6s %6s %7s %7s %7s %7s\n'
ROWS_OUT=()
row() { ROWS_OUT+=("$(printf "$FORMAT" "$@")"); }

# ferry NAME ROWS -> sets F_RATE (report), F_JOB (rows / process wall time), F_WALL, F_CPU (user + system
# seconds of the JVM), F_RSS_MB, F_HEAP_MB
ferry() {
    local name="$1" rows="$2"
    local job="$WORK/$name.json" report="$WORK/$name.report.json" gclog="$WORK/$name.gc.log"
    rm -f "$report" "$gclog"
    log "ferry $name ($rows rows)"
    local start end
    start=$(now)
    if ! /usr/bin/time -f '%M %U %S' -o "$WORK/$name.time" \
            java "-Xmx$HEAP" "-Xlog:gc:file=$gclog" -jar "$JAR" run "$job" --report "$report" \
            >"$WORK/$name.out" 2>"$WORK/$name.err"; then
        tail -5 "$WORK/$name.err" >&2
        die "job $name failed; see $WORK/$name.err"
    fi
    end=$(now)
    local written
    written=$(sed -n 's/^ *"recordsWritten" *: *\([0-9]*\).*/\1/p' "$report")
    [[ "$written" == "$rows" ]] || die "job $name wrote $written records, expected $rows"
    F_RATE=$(sed -n 's/^ *"recordsPerSecond" *: *\([0-9.eE+-]*\).*/\1/p' "$report" | awk '{ printf "%.0f", $1 }')
    F_WALL=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
    F_JOB=$(rate "$rows" "$F_WALL")
    F_RSS_MB=$(awk '{ printf "%.0f", $1 / 1024 }' "$WORK/$name.time")
    F_CPU=$(awk '{ printf "%.0f", $2 + $3 }' "$WORK/$name.time")
    # "Pause Young (Normal) (G1 Evacuation Pause) 120M->20M(256M)": the first number is the heap in
    # use when the collection started; the largest one is the peak the heap reached.
    F_HEAP_MB=$(grep -o '[0-9]*M->[0-9]*M' "$gclog" | awk -F'M->' 'BEGIN { m = 0 } { if ($1 + 0 > m) m = $1 + 0 } END { print (m > 0 ? m : "-") }')
}

# pipe NAME COMMAND -> sets P_WALL (seconds); COMMAND runs in bash -o pipefail
pipe() {
    local name="$1" cmd="$2" start end
    log "pipe $name"
    start=$(now)
    bash -o pipefail -c "$cmd" >"$WORK/$name.pipe.out" 2>"$WORK/$name.pipe.err" \
        || { cat "$WORK/$name.pipe.err" >&2; die "baseline $name failed"; }
    end=$(now)
    P_WALL=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
}

# ------------------------------------------------------------------------------------------------
# generator -> blackhole

if [[ -z "${SKIP_GEN:-}" ]]; then
    for c in 1 2; do
        cat >"$WORK/gen-c$c.json" <<EOF
{"name": "generator-blackhole-c$c",
 "source": {"connector": "generator", "rows": $GEN_ROWS,
            "columns": [{"name": "id", "type": "int64"}, {"name": "name", "type": "string"},
                        {"name": "amount", "type": "float64"}, {"name": "created_at", "type": "timestamp"},
                        {"name": "active", "type": "boolean"}]},
 "target": {"connector": "blackhole"},
 "settings": {"concurrency": $c}}
EOF
        ferry "gen-c$c" "$GEN_ROWS"
        row "generator -> blackhole, c=$c" "$GEN_ROWS" "$F_RATE" "$F_JOB" "-" "-" "-" "$F_WALL" "$F_CPU" "$F_HEAP_MB" "$F_RSS_MB"
    done
fi

# ------------------------------------------------------------------------------------------------
# PostgreSQL

pg_reachable() { psql_q -c 'SELECT 1' >/dev/null 2>&1; }
pg_prepare() {
    pg_source_table ferry_bench_src "$PG_ROWS"
    psql_q -c "DROP TABLE IF EXISTS ferry_bench_dst" -c "CREATE TABLE ferry_bench_dst ($PG_COLUMNS, PRIMARY KEY (id))"
}

pg_job() { # NAME SOURCE_JSON TARGET_JSON
    cat >"$WORK/$1.json" <<EOF
{"name": "$1", "source": $2, "target": $3, "settings": {"concurrency": $DB_CONCURRENCY}}
EOF
}

PG_SOURCE="{\"connector\": \"postgresql\", \"url\": \"$PG_URL\", \"username\": \"$PGUSER\", \"table\": \"ferry_bench_src\", \"splitPk\": \"id\"}"
PG_TARGET="{\"connector\": \"postgresql\", \"url\": \"$PG_URL\", \"username\": \"$PGUSER\", \"table\": \"ferry_bench_dst\", \"truncateBeforeWrite\": true}"

PG_OK=""
if [[ -z "${SKIP_PG:-}" ]]; then
    if pg_reachable; then
        PG_OK=1
        pg_prepare
        psql_q -c "TRUNCATE ferry_bench_dst"
        pg_checkpoint
        pipe pg-pg "psql -X -q -c 'COPY ferry_bench_src TO STDOUT' | psql -X -q -c 'COPY ferry_bench_dst FROM STDIN'"
        [[ "$(pg_count ferry_bench_dst)" == "$PG_ROWS" ]] || die "the COPY pipe did not copy $PG_ROWS rows"
        base=$(rate "$PG_ROWS" "$P_WALL")
        pg_checkpoint
        pg_job pg-pg "$PG_SOURCE" "$PG_TARGET"
        ferry pg-pg "$PG_ROWS"
        row "PostgreSQL -> PostgreSQL" "$PG_ROWS" "$F_RATE" "$F_JOB" "$base" "$(ratio "$F_RATE" "$base")" "$(ratio "$F_JOB" "$base")" "$F_WALL" "$F_CPU" "$F_HEAP_MB" "$F_RSS_MB"
    else
        row "PostgreSQL -> PostgreSQL" "skipped" "-" "-" "-" "-" "-" "-" "-" "-" "-"
    fi
fi

# ------------------------------------------------------------------------------------------------
# MariaDB

MARIADB_COLUMNS="id BIGINT NOT NULL PRIMARY KEY, name VARCHAR(12) NOT NULL, amount DOUBLE NOT NULL, created_at DATETIME(6) NOT NULL, active BOOLEAN NOT NULL"

mariadb_reachable() { mariadb_q -e 'SELECT 1' >/dev/null 2>&1; }
mariadb_count() { mariadb_q -N -B -e "SELECT count(*) FROM $1"; }
mariadb_prepare() {
    local have
    have=-1
    if [[ "$(mariadb_q -N -B -e "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'ferry_bench_src'")" == "1" ]]; then
        have=$(mariadb_count ferry_bench_src)
    fi
    if [[ -n "${FRESH_TABLES:-}" || "$have" != "$MARIADB_ROWS" ]]; then
        log "creating MariaDB ferry_bench_src with $MARIADB_ROWS rows"
        mariadb_q >/dev/null <<EOF
DROP TABLE IF EXISTS ferry_bench_src;
CREATE TABLE ferry_bench_src ($MARIADB_COLUMNS) ENGINE=InnoDB;
INSERT INTO ferry_bench_src
  SELECT seq, LEFT(MD5(seq), 12), (seq % 1000003) * 0.37, TIMESTAMP'2000-01-01 00:00:00' + INTERVAL seq SECOND, seq % 3 = 0
  FROM seq_1_to_$MARIADB_ROWS;
ANALYZE TABLE ferry_bench_src;
EOF
    fi
    mariadb_q -e "DROP TABLE IF EXISTS ferry_bench_dst; CREATE TABLE ferry_bench_dst ($MARIADB_COLUMNS) ENGINE=InnoDB"
}

MARIADB_SOURCE="{\"connector\": \"mariadb\", \"url\": \"$MARIADB_URL\", \"username\": \"$MARIADB_USER\", \"table\": \"ferry_bench_src\", \"splitPk\": \"id\"}"
MARIADB_TARGET="{\"connector\": \"mariadb\", \"url\": \"$MARIADB_URL\", \"username\": \"$MARIADB_USER\", \"table\": \"ferry_bench_dst\", \"truncateBeforeWrite\": true}"
PG_SOURCE_SUBSET="{\"connector\": \"postgresql\", \"url\": \"$PG_URL\", \"username\": \"$PGUSER\", \"table\": \"ferry_bench_src\", \"splitPk\": \"id\", \"where\": \"id <= $MARIADB_ROWS\"}"
MARIADB_CLI="mariadb -h $MARIADB_HOST -P $MARIADB_PORT -u $MARIADB_USER"

if [[ -z "${SKIP_MARIADB:-}" ]]; then
    if [[ -n "$PG_OK" ]] && mariadb_reachable; then
        mariadb_prepare

        psql_q -c "TRUNCATE ferry_bench_dst"
        pipe mariadb-pg "$MARIADB_CLI -N -B --quick $MARIADB_DATABASE -e 'SELECT id, name, amount, created_at, active FROM ferry_bench_src' | psql -X -q -c 'COPY ferry_bench_dst FROM STDIN'"
        [[ "$(pg_count ferry_bench_dst)" == "$MARIADB_ROWS" ]] || die "the MariaDB -> PostgreSQL pipe did not copy $MARIADB_ROWS rows"
        base=$(rate "$MARIADB_ROWS" "$P_WALL")
        pg_job mariadb-pg "$MARIADB_SOURCE" "$PG_TARGET"
        ferry mariadb-pg "$MARIADB_ROWS"
        row "MariaDB -> PostgreSQL" "$MARIADB_ROWS" "$F_RATE" "$F_JOB" "$base" "$(ratio "$F_RATE" "$base")" "$(ratio "$F_JOB" "$base")" "$F_WALL" "$F_CPU" "$F_HEAP_MB" "$F_RSS_MB"

        mariadb_q -e "TRUNCATE ferry_bench_dst"
        pipe pg-mariadb "psql -X -q -c 'COPY (SELECT id, name, amount, created_at, active::int FROM ferry_bench_src WHERE id <= $MARIADB_ROWS) TO STDOUT' | $MARIADB_CLI --local-infile=1 $MARIADB_DATABASE -e \"LOAD DATA LOCAL INFILE '/dev/stdin' INTO TABLE ferry_bench_dst\""
        [[ "$(mariadb_count ferry_bench_dst)" == "$MARIADB_ROWS" ]] || die "the PostgreSQL -> MariaDB pipe did not copy $MARIADB_ROWS rows"
        base=$(rate "$MARIADB_ROWS" "$P_WALL")
        pg_job pg-mariadb "$PG_SOURCE_SUBSET" "$MARIADB_TARGET"
        ferry pg-mariadb "$MARIADB_ROWS"
        row "PostgreSQL -> MariaDB" "$MARIADB_ROWS" "$F_RATE" "$F_JOB" "$base" "$(ratio "$F_RATE" "$base")" "$(ratio "$F_JOB" "$base")" "$F_WALL" "$F_CPU" "$F_HEAP_MB" "$F_RSS_MB"
    else
        row "MariaDB <-> PostgreSQL" "skipped" "-" "-" "-" "-" "-" "-" "-" "-" "-"
    fi
fi

# ------------------------------------------------------------------------------------------------

echo
echo "Ferry end-to-end, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)"
echo "$(java -version 2>&1 | head -1), -Xmx$HEAP, DB concurrency $DB_CONCURRENCY, work dir $WORK"
echo
printf "$FORMAT" "workload" "rows" "sync rec/s" "job rec/s" "pipe rec/s" "sync/" "job/" "wall s" "CPU s" "heap MB" "RSS MB"
printf "$FORMAT" "" "" "(report)" "(rows/wall)" "(rows/wall)" "pipe" "pipe" "(job)" "(JVM)" "(peak)" "(max)"
printf '%s\n' "${ROWS_OUT[@]}"
echo
echo "sync rec/s: the report's recordsPerSecond (SYNC stage only). job rec/s: rows / wall time of the"
echo "whole java process (JVM start, PRE, SPLIT, SYNC, POST). pipe rec/s: rows / wall time of the native"
echo "client pipe on the same servers, measured just before the Ferry run. CPU s: user + system seconds"
echo "of the Ferry JVM (the database servers' CPU is not included)."
