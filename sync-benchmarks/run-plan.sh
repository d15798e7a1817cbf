#!/usr/bin/env bash
# Split planning on big tables: the walk of the key index against the plan cut from the database's
# estimates (histograms, samples, index dives), timed by dev.ferry.benchmarks.SplitPlanningTimer.
#
#   sync-benchmarks/run-plan.sh
#
# Creates ferry_plan_bench in PostgreSQL (PG_ROWS rows) and MariaDB (MARIADB_ROWS rows) when it is
# missing or was made for another number of rows (the table's comment says how many), ANALYZEs it, times each method RUNS times after one
# untimed run (alternating, on one connection), counts the rows of every planned range once
# (CHECK=1) and drops the tables at the end unless KEEP_TABLES=1. The keys are clustered: 90% of the
# rows hold keys 1..0.9 n, the other 10% keys 10,000 apart above that (90% of the rows in 0.01% of
# the key span), physically in key order.
#
# Environment (defaults in brackets):
#   PG_ROWS [100000000]  MARIADB_ROWS [10000000]  SPLITS [16]  RUNS [3]  CHECK [1]  KEEP_TABLES [unset]
#   SKIP_PG, SKIP_MARIADB [unset]
#   PGHOST [127.0.0.1] PGPORT [5432] PGDATABASE [test] PGUSER [root]  (no password)
#   MARIADB_HOST [127.0.0.1] MARIADB_PORT [3306] MARIADB_DATABASE [test] MARIADB_USER [root] (empty password)
#
# On the shared 2-core development machine creating the 100 M-row PostgreSQL table took about
# 4 minutes and the 10 M-row MariaDB table about 30 s; CHECK=1 adds a count of the whole index per plan.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/sync-benchmarks/target/benchmarks.jar"
PG_ROWS="${PG_ROWS:-100000000}"
MARIADB_ROWS="${MARIADB_ROWS:-10000000}"
SPLITS="${SPLITS:-16}"
RUNS="${RUNS:-3}"
CHECK="${CHECK:-1}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGDATABASE="${PGDATABASE:-test}" PGUSER="${PGUSER:-root}"
MARIADB_HOST="${MARIADB_HOST:-127.0.0.1}"
MARIADB_PORT="${MARIADB_PORT:-3306}"
MARIADB_DATABASE="${MARIADB_DATABASE:-test}"
MARIADB_USER="${MARIADB_USER:-root}"

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
mariadb_q() { mariadb -h "$MARIADB_HOST" -P "$MARIADB_PORT" -u "$MARIADB_USER" "$@" "$MARIADB_DATABASE"; }

if [[ ! -f "$JAR" ]]; then
    log "benchmarks.jar is missing; building it (mvn -q -DskipTests package -pl sync-benchmarks -am)"
    (cd "$ROOT" && mvn -q -DskipTests package -pl sync-benchmarks -am)
fi
timer() { java -Xmx512m -cp "$JAR" dev.ferry.benchmarks.SplitPlanningTimer "$@" $([[ "$CHECK" == 1 ]] && echo --check) 2>&1 | grep -v '^SLF4J'; }

if [[ -z "${SKIP_PG:-}" ]]; then
    dense=$(( PG_ROWS / 10 * 9 ))
    have=$(psql_q -At -c "SELECT COALESCE(obj_description(to_regclass('ferry_plan_bench'), 'pg_class'), '')")
    if [[ "$have" != "rows=$PG_ROWS" ]]; then
        log "creating PostgreSQL ferry_plan_bench with $PG_ROWS rows"
        psql_q <<SQL
DROP TABLE IF EXISTS ferry_plan_bench;
CREATE TABLE ferry_plan_bench (id bigint, v integer);
INSERT INTO ferry_plan_bench
  SELECT CASE WHEN g <= $dense THEN g ELSE g::bigint * 10000 END, g % 1000
  FROM generate_series(1, $PG_ROWS) g;
ALTER TABLE ferry_plan_bench ADD PRIMARY KEY (id);
VACUUM ANALYZE ferry_plan_bench;
COMMENT ON TABLE ferry_plan_bench IS 'rows=$PG_ROWS';
SQL
    fi
    log "PostgreSQL, $PG_ROWS rows, $SPLITS splits; uptime: $(uptime)"
    timer postgresql "jdbc:postgresql://$PGHOST:$PGPORT/$PGDATABASE?user=$PGUSER" ferry_plan_bench id "$SPLITS" "$RUNS"
    [[ -n "${KEEP_TABLES:-}" ]] || psql_q -c "DROP TABLE ferry_plan_bench"
fi

if [[ -z "${SKIP_MARIADB:-}" ]]; then
    dense=$(( MARIADB_ROWS / 10 * 9 ))
    have=$(mariadb_q -N -B -e "SELECT COALESCE((SELECT TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'ferry_plan_bench'), '')")
    if [[ "$have" != "rows=$MARIADB_ROWS" ]]; then
        log "creating MariaDB ferry_plan_bench with $MARIADB_ROWS rows"
        mariadb_q >/dev/null <<SQL
DROP TABLE IF EXISTS ferry_plan_bench;
CREATE TABLE ferry_plan_bench (id BIGINT NOT NULL PRIMARY KEY, v INT) ENGINE=InnoDB COMMENT='rows=$MARIADB_ROWS';
INSERT INTO ferry_plan_bench
  SELECT CASE WHEN seq <= $dense THEN seq ELSE seq * 10000 END, seq % 1000 FROM seq_1_to_$MARIADB_ROWS;
ANALYZE TABLE ferry_plan_bench;
SQL
    fi
    log "MariaDB, $MARIADB_ROWS rows, $SPLITS splits; uptime: $(uptime)"
    timer mariadb "jdbc:mariadb://$MARIADB_HOST:$MARIADB_PORT/$MARIADB_DATABASE?user=$MARIADB_USER" ferry_plan_bench id "$SPLITS" "$RUNS"
    [[ -n "${KEEP_TABLES:-}" ]] || mariadb_q -e "DROP TABLE ferry_plan_bench"
fi
