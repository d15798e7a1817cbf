#!/usr/bin/env bash
# Verification benchmark: copies a PostgreSQL table with Ferry, then times `sync.jar verify` on it.
#
#   sync-benchmarks/run-verify.sh
#
#   PostgreSQL -> PostgreSQL   PG_ROWS rows (5 columns, the e2e harness's table and values): both
#                              sides counted and checksummed by PostgreSQL (database path)
#   PostgreSQL -> MariaDB      MARIADB_ROWS of them: PostgreSQL's statement against MariaDB's rows
#                              hashed in Java while they stream (the DOUBLE column keeps MariaDB on
#                              the Java path)
# Each line gives the rows, verify's own time (its summary line), the process's wall time, CPU
# seconds and maximum RSS, and the load average before the run (the machine may be shared).
#
# It builds nothing unless sync.jar is missing. The source table ferry_verify_bench_src is created
# once and reused while its row count matches (FRESH_TABLES=1 recreates it); the targets are
# ferry_verify_bench_dst on both servers, dropped at the end. Nothing here runs as a test.
#
# Environment (defaults in brackets): PG_ROWS [10000000]  MARIADB_ROWS [2000000]  CONCURRENCY [2]
#   HEAP [256m]  SKIP_MARIADB [unset]  WORK [a new temporary directory]
#   PGHOST [127.0.0.1] PGPORT [5432] PGDATABASE [test] PGUSER [root]; MariaDB root@127.0.0.1:3306/test
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/sync-connectors/sync-bundle/target/sync.jar"
PG_ROWS="${PG_ROWS:-10000000}"
MARIADB_ROWS="${MARIADB_ROWS:-2000000}"
CONCURRENCY="${CONCURRENCY:-2}"
HEAP="${HEAP:-256m}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGDATABASE="${PGDATABASE:-test}" PGUSER="${PGUSER:-root}"
WORK="${WORK:-$(mktemp -d -t ferry-verify.XXXXXX)}"
PG_URL="jdbc:postgresql://$PGHOST:$PGPORT/$PGDATABASE"
MARIADB_URL="jdbc:mariadb://127.0.0.1:3306/test"

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
# shellcheck source=lib/pg-source-table.sh
source "$ROOT/sync-benchmarks/lib/pg-source-table.sh"
mariadb_q() { mariadb -h 127.0.0.1 -u root test "$@"; }

[[ -x /usr/bin/time ]] || { echo "/usr/bin/time is needed (apt-get install time)" >&2; exit 1; }
if [[ ! -f "$JAR" ]]; then
    log "sync.jar is missing; building it"
    (cd "$ROOT" && mvn -q -DskipTests package)
fi

pg_source_table ferry_verify_bench_src "$PG_ROWS"

job() { # NAME TARGET_CONNECTOR URL WHERE_JSON
    cat >"$WORK/$1.json" <<JSON
{"name": "$1",
 "source": {"connector": "postgresql", "url": "$PG_URL", "username": "$PGUSER", "table": "ferry_verify_bench_src",
            "splitPk": "id" $4},
 "target": {"connector": "$2", "url": "$3", "username": "root", "table": "ferry_verify_bench_dst",
            "createTable": true, "truncateBeforeWrite": true},
 "settings": {"concurrency": $CONCURRENCY}}
JSON
}

measure() { # NAME ROWS
    local name="$1" load
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    log "copy $name"
    java "-Xmx$HEAP" -jar "$JAR" run "$WORK/$name.json" >"$WORK/$name.copy.out" 2>&1 \
        || { tail -5 "$WORK/$name.copy.out" >&2; exit 1; }
    log "verify $name"
    local code=0
    /usr/bin/time -f '%e %U %S %M' -o "$WORK/$name.time" java "-Xmx$HEAP" -jar "$JAR" verify "$WORK/$name.json" \
        >"$WORK/$name.verify.out" 2>&1 || code=$?
    [[ "$code" == 0 ]] || { tail -5 "$WORK/$name.verify.out" >&2; echo "verify exited $code" >&2; exit 1; }
    local summary
    summary=$(grep 'verified in' "$WORK/$name.verify.out")
    printf '%-26s %10s rows  verify %6.1f s  process %6.1f s  cpu %5.1f s  rss %4d MB  load before %s\n  %s\n' \
        "$name" "$2" "$(sed 's/.*verified in \([0-9]*\) ms.*/\1/' <<<"$summary" | awk '{ print $1 / 1000 }')" \
        "$(awk '{ print $1 }' "$WORK/$name.time")" "$(awk '{ print $2 + $3 }' "$WORK/$name.time")" \
        "$(awk '{ printf "%d", $4 / 1024 }' "$WORK/$name.time")" "$load" "$summary"
}

psql_q -c "DROP TABLE IF EXISTS ferry_verify_bench_dst"
job pg-pg postgresql "$PG_URL" ""
measure pg-pg "$PG_ROWS"
psql_q -c "DROP TABLE IF EXISTS ferry_verify_bench_dst"

if [[ -z "${SKIP_MARIADB:-}" ]]; then
    mariadb_q -e "DROP TABLE IF EXISTS ferry_verify_bench_dst"
    job pg-mariadb mariadb "$MARIADB_URL" ", \"where\": \"id <= $MARIADB_ROWS\""
    measure pg-mariadb "$MARIADB_ROWS"
    mariadb_q -e "DROP TABLE IF EXISTS ferry_verify_bench_dst"
fi
log "job files and logs in $WORK"
