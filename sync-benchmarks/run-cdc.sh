#!/usr/bin/env bash
# Change-capture harness: Ferry's streaming jobs (sync.jar, "mode": "stream") on real servers, next
# to Debezium's embedded engine (DebeziumBench) on the same backlog and the same load, and one table.
#
#   sync-benchmarks/run-cdc.sh
#
# What it measures (every figure in this run, machine load recorded before and after each):
#   drain, PostgreSQL -> PostgreSQL   a pgbench (TPC-B-like) backlog of N row changes written while the
#                                     Ferry stream is stopped (4 changes per transaction: 3 updates, 1
#                                     insert), then `java -Xmx256m -jar sync.jar run JOB --state DIR`
#                                     started cold: changes/s from the JVM's launch until the target has
#                                     applied everything (a marker row is visible there) and until the
#                                     checkpoint covers it (the slot's confirmed_flush_lsn, which Ferry
#                                     acknowledges only after saving the checkpoint, passes the WAL
#                                     position taken after the backlog). The target then equals the
#                                     source (md5 of every table, checked).
#   drain, Debezium                   the same backlog from a second pgoutput slot of its own, created
#                                     before the backlog: DebeziumBench from a cold start until its
#                                     no-op consumer has seen N changes.
#   drain, MariaDB -> PostgreSQL      the same shape of backlog written by a stored procedure into
#                                     pgbench-like MariaDB tables, read from the binlog; "checkpointed"
#                                     is the progress line's checkpoint passing the binlog position
#                                     taken after the backlog (progress every 100 ms in drain runs).
#   live lag, PostgreSQL -> PostgreSQL pgbench -R LAG_RATE with LAG_CLIENTS clients for LAG_WARMUP +
#                                     LAG_SECONDS s; every transaction also inserts a probe row with
#                                     clock_timestamp() just before its COMMIT. On the target a deferred
#                                     constraint trigger stamps clock_timestamp() at the applying
#                                     transaction's commit into a side table. Lag = stamp - src_ts, p50
#                                     and p99 over the probe rows of the last LAG_SECONDS (one clock).
#                                     Ferry runs with its default settings.
#   live lag, Debezium                the same load; lag = time the consumer receives the probe row's
#                                     change - src_ts; with Debezium's defaults, then poll.interval.ms=10.
# Every JVM runs in -Xmx$HEAP under /usr/bin/time (CPU seconds, maximum RSS) with -Xlog:gc (peak heap:
# the largest occupancy before a collection).
#
# Scratch objects, all dropped at the end whatever happens (trap), unless KEEP_DATA=1 keeps the tables:
#   PostgreSQL: schema ferry_cdc in databases $PG_SRC_DB (source) and $PG_DST_DB (target), schema
#   ferry_cdc_m in $PG_DST_DB (MariaDB's target); replication slots and publications ferry_cdc_pg
#   (Ferry) and ferry_cdc_dbz (Debezium). MariaDB: database ferry_cdc_m. No server setting is touched;
#   the backlog's pgbench sessions use synchronous_commit=off (a session setting) to write it faster,
#   the live load uses the server's default.
#
# Needs: sync.jar and the benchmark module built (mvn -B -q -DskipTests package from the root; that also
# copies Debezium's jars to sync-benchmarks/target/cdc-lib), psql, pgbench, the mariadb client,
# /usr/bin/time, a PostgreSQL with wal_level=logical and two free replication slots, a MariaDB with a
# ROW binlog with full images and metadata.
#
# Environment (defaults in brackets):
#   CHANGES ["240000 1000000"]  backlog sizes in row changes (multiples of 8)
#   SCALE [10]                  pgbench scale (100,000 accounts and 1 branch per unit; with 1, the two
#                               clients of the live load queue on the single branch row)
#   LAG_RATE [1000] LAG_CLIENTS [2] LAG_SECONDS [60] LAG_WARMUP [10]
#   HEAP [256m]
#   SKIP_PG, SKIP_MARIADB, SKIP_LAG, SKIP_DEBEZIUM [unset]
#   JFR [unset]: set to 1 to record a Flight Recorder profile of every Ferry drain run (JOB.jfr in WORK)
#   FERRY_JVM_OPTS [unset]: extra JVM options for every Ferry run (e.g. -XX:TieredStopAtLevel=1)
#   PGHOST [127.0.0.1] PGPORT [5432] PGUSER [root] PG_SRC_DB [test] PG_DST_DB [root]
#   MARIADB_HOST [127.0.0.1] MARIADB_PORT [3306] MARIADB_USER [root] (empty passwords)
#   WORK [a new temporary directory]: job files, logs, GC logs, lag samples
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/sync-connectors/sync-bundle/target/sync.jar"
CDC_CP="$ROOT/sync-benchmarks/target/classes:$ROOT/sync-benchmarks/target/cdc-lib/*"

CHANGES="${CHANGES:-240000 1000000}"
SCALE="${SCALE:-10}"
LAG_RATE="${LAG_RATE:-1000}"
LAG_CLIENTS="${LAG_CLIENTS:-2}"
LAG_SECONDS="${LAG_SECONDS:-60}"
LAG_WARMUP="${LAG_WARMUP:-10}"
HEAP="${HEAP:-256m}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-root}"
PG_SRC_DB="${PG_SRC_DB:-test}"
PG_DST_DB="${PG_DST_DB:-root}"
MARIADB_HOST="${MARIADB_HOST:-127.0.0.1}"
MARIADB_PORT="${MARIADB_PORT:-3306}"
MARIADB_USER="${MARIADB_USER:-root}"
WORK="${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/ferry-cdc.XXXXXX")}"
mkdir -p "$WORK"

SCHEMA=ferry_cdc
MSCHEMA=ferry_cdc_m
FERRY_SLOT=ferry_cdc_pg
DBZ_SLOT=ferry_cdc_dbz
PG_TABLES="pgbench_accounts pgbench_tellers pgbench_branches pgbench_history"
PG_SRC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$PG_SRC_DB"
PG_DST_URL="jdbc:postgresql://$PGHOST:$PGPORT/$PG_DST_DB"
MARIADB_URL="jdbc:mariadb://$MARIADB_HOST:$MARIADB_PORT/$MSCHEMA"

die() { echo "run-cdc: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
now() { date +%s.%N; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

[[ -x /usr/bin/time ]] || die "/usr/bin/time is needed (apt-get install time)"
for tool in java psql pgbench mariadb; do command -v "$tool" >/dev/null || die "$tool is not on the PATH"; done
[[ -f "$JAR" ]] || die "sync.jar is missing: mvn -B -q -DskipTests package"
if [[ -z "${SKIP_DEBEZIUM:-}" ]]; then
    [[ -f "$ROOT/sync-benchmarks/target/classes/dev/ferry/benchmarks/cdc/DebeziumBench.class" \
        && -d "$ROOT/sync-benchmarks/target/cdc-lib" ]] || die "DebeziumBench is not built: mvn -B -q -DskipTests package"
fi

psql_src() { psql -X -q -v ON_ERROR_STOP=1 -d "$PG_SRC_DB" "$@"; }
psql_dst() { psql -X -q -v ON_ERROR_STOP=1 -d "$PG_DST_DB" "$@"; }
mariadb_q() { mariadb -h "$MARIADB_HOST" -P "$MARIADB_PORT" -u "$MARIADB_USER" "$@"; }

# ------------------------------------------------------------------------------------------------
# Processes this script started, and the cleanup that runs whatever happens.

PIDS=()
# The JVM under a /usr/bin/time process (time does not pass SIGTERM on).
child_of() { ps -o pid= --ppid "$1" 2>/dev/null | head -1 | tr -d ' '; }
stop_pid() { # PID [seconds]: SIGTERM to the JVM under /usr/bin/time PID, wait, SIGKILL if it hangs
    local tpid="$1" wait_s="${2:-60}" jpid i
    kill -0 "$tpid" 2>/dev/null || return 0
    jpid=$(child_of "$tpid")
    [[ -n "$jpid" ]] && kill -TERM "$jpid" 2>/dev/null || true
    for ((i = 0; i < wait_s * 10; i++)); do
        kill -0 "$tpid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$tpid" 2>/dev/null; then
        log "process $tpid did not stop in ${wait_s}s; killing it"
        jpid=$(child_of "$tpid")
        [[ -n "$jpid" ]] && kill -KILL "$jpid" 2>/dev/null || true
    fi
    wait "$tpid" 2>/dev/null || true
}

cleanup() {
    local rc=$?
    set +e
    for pid in "${PIDS[@]}"; do stop_pid "$pid" 20; done
    psql -X -q -d "$PG_SRC_DB" -c "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name IN ('$FERRY_SLOT', '$DBZ_SLOT') AND active_pid IS NOT NULL" >/dev/null 2>&1
    sleep 0.5
    psql -X -q -d "$PG_SRC_DB" -c "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name IN ('$FERRY_SLOT', '$DBZ_SLOT')" >/dev/null \
        || log "could not drop the replication slots $FERRY_SLOT / $DBZ_SLOT: drop them by hand"
    psql -X -q -d "$PG_SRC_DB" -c "SET client_min_messages = warning" -c "DROP PUBLICATION IF EXISTS $FERRY_SLOT, $DBZ_SLOT" >/dev/null
    if [[ -z "${KEEP_DATA:-}" ]]; then
        psql -X -q -d "$PG_SRC_DB" -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1
        psql -X -q -d "$PG_DST_DB" -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" -c "DROP SCHEMA IF EXISTS $MSCHEMA CASCADE" >/dev/null 2>&1
        mariadb_q -e "DROP DATABASE IF EXISTS $MSCHEMA" >/dev/null 2>&1
    fi
    local left
    left=$(psql -X -At -d "$PG_SRC_DB" -c "SELECT string_agg(slot_name, ' ') FROM pg_replication_slots WHERE slot_name IN ('$FERRY_SLOT', '$DBZ_SLOT')" 2>/dev/null)
    [[ -z "$left" ]] || log "WARNING: replication slot(s) left: $left"
    log "cleaned up (slots and publications dropped${KEEP_DATA:+, tables kept}); work dir $WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------------------------------------
# Helpers

# gc_peak GCLOG -> the largest heap occupancy before a collection, MB
gc_peak() { grep -o '[0-9]*M->[0-9]*M' "$1" 2>/dev/null | awk -F'M->' 'BEGIN { m = 0 } { if ($1 + 0 > m) m = $1 + 0 } END { print (m > 0 ? m : "-") }'; }
# time_fields TIMEFILE -> "RSS_MB CPU_S"
time_fields() { awk '{ printf "%.0f %.1f", $1 / 1024, $2 + $3 }' "$1"; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "-" }'; }
us_per() { awk -v c="$1" -v n="$2" 'BEGIN { if (n > 0) printf "%.1f", c * 1e6 / n; else print "-" }'; }

# ferry_start NAME JOB STATE [extra JVM args...] -> FERRY_PID (the /usr/bin/time process); logs in WORK/NAME.*
ferry_start() {
    local name="$1" job="$2" state="$3"
    shift 3
    rm -f "$WORK/$name.gc.log" "$WORK/$name.report.json"
    /usr/bin/time -f '%M %U %S %e' -o "$WORK/$name.time" \
        java "-Xmx$HEAP" "-Xlog:gc:file=$WORK/$name.gc.log" ${FERRY_JVM_OPTS:-} "$@" -jar "$JAR" run "$job" --state "$state" \
        --report "$WORK/$name.report.json" >"$WORK/$name.out" 2>"$WORK/$name.err" &
    FERRY_PID=$!
    PIDS+=("$FERRY_PID")
}
ferry_wait_streaming() { # NAME PID TIMEOUT_S
    local i
    for ((i = 0; i < $3 * 10; i++)); do
        grep -q "streaming from" "$WORK/$1.out" 2>/dev/null && return 0
        kill -0 "$2" 2>/dev/null || { tail -n 20 "$WORK/$1.out" "$WORK/$1.err" >&2; die "Ferry job $1 ended before streaming"; }
        sleep 0.1
    done
    die "Ferry job $1 was not streaming after $3 s"
}
ferry_stop() { # NAME PID
    stop_pid "$2" 120
    grep -q '"status" *: *"STOPPED"' "$WORK/$1.report.json" 2>/dev/null \
        || { tail -n 20 "$WORK/$1.out" "$WORK/$1.err" >&2; die "Ferry job $1 did not end STOPPED"; }
}
report_field() { sed -n "s/^ *\"$2\" *: *\"\{0,1\}\([^,\"]*\)\"\{0,1\},\{0,1\}$/\1/p" "$1" | head -1; }

# pg_wait_target DB "CONDITION" TIMEOUT_S [SLOT LSN] -> prints "APPLIED_EPOCH CHECKPOINTED_EPOCH"
# Polls on the server every 50 ms (one session): the epoch when CONDITION first held on DB, and when
# SLOT's confirmed_flush_lsn first passed LSN (or "-" without SLOT).
pg_wait_target() {
    local db="$1" cond="$2" timeout="$3" slot="${4:-}" lsn="${5:-}"
    local slot_cond="true"
    [[ -n "$slot" ]] && slot_cond="EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = '$slot' AND confirmed_flush_lsn > '$lsn'::pg_lsn)"
    psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" >"$WORK/wait.log" 2>&1 <<EOF || { cat "$WORK/wait.log" >&2; return 1; }
DO \$\$
DECLARE
  t_applied timestamptz;
  t_ckpt timestamptz;
  deadline timestamptz := clock_timestamp() + interval '$timeout seconds';
BEGIN
  LOOP
    IF t_applied IS NULL AND ($cond) THEN t_applied := clock_timestamp(); END IF;
    IF t_ckpt IS NULL AND ($slot_cond) THEN t_ckpt := clock_timestamp(); END IF;
    EXIT WHEN (t_applied IS NOT NULL AND t_ckpt IS NOT NULL) OR clock_timestamp() > deadline;
    PERFORM pg_sleep(0.05);
  END LOOP;
  RAISE NOTICE 'RESULT % %', coalesce(extract(epoch FROM t_applied)::text, 'timeout'),
    CASE WHEN '$slot' = '' THEN '-' ELSE coalesce(extract(epoch FROM t_ckpt)::text, 'timeout') END;
END \$\$;
EOF
    sed -n 's/.*RESULT //p' "$WORK/wait.log"
}

# percentiles FILE -> "count p50 p99 max" of the first column (milliseconds), nearest rank
percentiles() {
    cut -d' ' -f1 "$1" | sort -n | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "0 - - -"; exit }
        i50 = int(0.50 * NR + 0.999999); i99 = int(0.99 * NR + 0.999999);
        printf "%d %.1f %.1f %.1f", NR, v[i50], v[i99], v[NR] }'
}

FORMAT='%-34s %9s %10s %10s %8s %8s %7s %8s %7s %7s %-17s\n'
ROWS_OUT=()
row() { ROWS_OUT+=("$(printf "$FORMAT" "$@")"); }
NOTES=()
note() { NOTES+=("$*"); log "$*"; }

# ------------------------------------------------------------------------------------------------
# PostgreSQL: pgbench tables, Ferry's stream and Debezium's slot

PG_TABLE_LIST=""
for t in $PG_TABLES probe; do PG_TABLE_LIST+="${PG_TABLE_LIST:+, }\"$SCHEMA.$t\""; done
DBZ_TABLE_LIST=""
for t in $PG_TABLES probe; do DBZ_TABLE_LIST+="${DBZ_TABLE_LIST:+,}$SCHEMA.$t"; done
PUB_TABLE_LIST=""
for t in $PG_TABLES probe; do PUB_TABLE_LIST+="${PUB_TABLE_LIST:+, }$SCHEMA.$t"; done
# a target table otherwise goes to the target's default schema under the source table's name
PG_MAPPING=""
for t in $PG_TABLES probe; do PG_MAPPING+="${PG_MAPPING:+, }\"$SCHEMA.$t=$SCHEMA.$t\""; done

pg_setup() {
    log "PostgreSQL: pgbench -i -s $SCALE into $PG_SRC_DB.$SCHEMA; target schema $PG_DST_DB.$SCHEMA"
    local left
    left=$(psql -X -At -d "$PG_SRC_DB" -c "SELECT count(*) FROM pg_replication_slots WHERE slot_name IN ('$FERRY_SLOT', '$DBZ_SLOT')")
    [[ "$left" == 0 ]] || die "replication slot $FERRY_SLOT or $DBZ_SLOT exists already (another run?); drop it first"
    psql_src -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" -c "CREATE SCHEMA $SCHEMA" 2>/dev/null
    PGOPTIONS="-c search_path=$SCHEMA" pgbench -i -q -s "$SCALE" "$PG_SRC_DB" >"$WORK/pgbench-init.log" 2>&1 \
        || { cat "$WORK/pgbench-init.log" >&2; die "pgbench -i failed"; }
    psql_src >/dev/null <<EOF
ALTER TABLE $SCHEMA.pgbench_history ADD COLUMN hid bigserial PRIMARY KEY;
CREATE TABLE $SCHEMA.probe (id bigserial PRIMARY KEY, src_ts timestamptz NOT NULL);
CREATE PUBLICATION $DBZ_SLOT FOR TABLE $PUB_TABLE_LIST;
SELECT 1 FROM pg_create_logical_replication_slot('$DBZ_SLOT', 'pgoutput');
EOF
    psql_dst 2>/dev/null <<EOF
DROP SCHEMA IF EXISTS $SCHEMA CASCADE;
CREATE SCHEMA $SCHEMA;
CREATE TABLE $SCHEMA.probe (id bigint PRIMARY KEY, src_ts timestamptz NOT NULL);
CREATE TABLE $SCHEMA.probe_seen (id bigint PRIMARY KEY, seen_at timestamptz NOT NULL);
CREATE FUNCTION $SCHEMA.stamp_probe() RETURNS trigger LANGUAGE plpgsql AS \$\$
BEGIN
  INSERT INTO $SCHEMA.probe_seen VALUES (NEW.id, clock_timestamp()) ON CONFLICT (id) DO NOTHING;
  RETURN NULL;
END \$\$;
-- deferred: fires at the applying transaction's COMMIT, the moment the row becomes visible
CREATE CONSTRAINT TRIGGER stamp_probe AFTER INSERT OR UPDATE ON $SCHEMA.probe
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION $SCHEMA.stamp_probe();
EOF
    cat >"$WORK/pg-job-drain.json" <<EOF
{"name": "cdc-pg-pg", "mode": "stream",
 "source": {"connector": "postgresql", "url": "$PG_SRC_URL", "username": "$PGUSER",
            "tables": [$PG_TABLE_LIST], "capture": {"startFrom": "snapshot", "slot": "$FERRY_SLOT"}},
 "target": {"connector": "postgresql", "url": "$PG_DST_URL", "username": "$PGUSER", "tableMapping": [$PG_MAPPING]},
 "settings": {"progressIntervalMillis": 100}}
EOF
    # the live-lag run: the same stream (same name and state), every setting at its default
    cat >"$WORK/pg-job-live.json" <<EOF
{"name": "cdc-pg-pg", "mode": "stream",
 "source": {"connector": "postgresql", "url": "$PG_SRC_URL", "username": "$PGUSER",
            "tables": [$PG_TABLE_LIST], "capture": {"startFrom": "snapshot", "slot": "$FERRY_SLOT"}},
 "target": {"connector": "postgresql", "url": "$PG_DST_URL", "username": "$PGUSER", "tableMapping": [$PG_MAPPING]}}
EOF
    log "Ferry: snapshot of the pgbench tables into $PG_DST_DB, then stop"
    ferry_start pg-snapshot "$WORK/pg-job-drain.json" "$WORK/state-pg"
    ferry_wait_streaming pg-snapshot "$FERRY_PID" 300
    ferry_stop pg-snapshot "$FERRY_PID"
}

# md5 of a table's rows in key order, on both sides
pg_table_md5() { # DB TABLE KEY
    psql -X -At -d "$1" -c "SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, '|' ORDER BY $3), '')) FROM $SCHEMA.$2 t"
}
pg_verify() {
    local t key a b ok=1
    for t in $PG_TABLES; do
        case "$t" in
            pgbench_accounts) key=aid ;; pgbench_tellers) key=tid ;; pgbench_branches) key=bid ;; pgbench_history) key=hid ;;
        esac
        a=$(pg_table_md5 "$PG_SRC_DB" "$t" "$key")
        b=$(psql -X -At -d "$PG_DST_DB" -c "SELECT count(*) || ' ' || md5(coalesce(string_agg(r::text, '|' ORDER BY $key), '')) FROM (SELECT $(psql -X -At -d "$PG_SRC_DB" -c "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute WHERE attrelid = '$SCHEMA.$t'::regclass AND attnum > 0 AND NOT attisdropped") FROM $SCHEMA.$t) r")
        [[ "$a" == "$b" ]] || { ok=""; log "MISMATCH $t: source $a, target $b"; }
    done
    [[ -n "$ok" ]]
}

# backlog_pg CHANGES: CHANGES/4 TPC-B-like transactions from 2 clients
backlog_pg() {
    local changes="$1" per_client=$(( $1 / 8 ))
    log "pgbench backlog: $((per_client * 2)) transactions = $changes row changes (2 clients, synchronous_commit=off)"
    PGOPTIONS="-c search_path=$SCHEMA -c synchronous_commit=off" \
        pgbench -n -c 2 -j 2 -t "$per_client" "$PG_SRC_DB" >"$WORK/backlog-pg-$changes.log" 2>&1 \
        || { cat "$WORK/backlog-pg-$changes.log" >&2; die "pgbench backlog failed"; }
    grep -E "^tps" "$WORK/backlog-pg-$changes.log" >&2 || true
}

drain_pg() { # CHANGES
    local changes="$1" expect=$(( $1 + 1 )) name="pg-drain-$1"
    local l0 marker t0 res t_app t_ckpt t_stream load0 load1 rss cpu heap applied jfr=()
    backlog_pg "$changes"
    l0=$(psql -X -At -d "$PG_SRC_DB" -c "SELECT pg_current_wal_insert_lsn()")
    marker="end-$changes-$$"
    psql_src -c "UPDATE $SCHEMA.pgbench_branches SET filler = '$marker' WHERE bid = 1"
    [[ -n "${JFR:-}" ]] && jfr=("-XX:StartFlightRecording=filename=$WORK/$name.jfr,settings=profile")
    psql_src -c "CHECKPOINT" >/dev/null 2>&1 || true
    note "  slots before the drain (WAL the walsender reads before and for the backlog, MB): $(psql -X -At -d "$PG_SRC_DB" -c "SELECT string_agg(slot_name || ': restart->confirmed ' || round(pg_wal_lsn_diff(confirmed_flush_lsn, restart_lsn) / 1048576.0, 1) || ', confirmed->backlog end ' || round(pg_wal_lsn_diff('$l0', confirmed_flush_lsn) / 1048576.0, 1), '; ' ORDER BY slot_name) FROM pg_replication_slots WHERE slot_name IN ('$FERRY_SLOT', '$DBZ_SLOT')")"
    load0=$(load)
    log "Ferry drain of $expect changes (load $load0)"
    t0=$(now)
    ferry_start "$name" "$WORK/pg-job-drain.json" "$WORK/state-pg" "${jfr[@]}"
    res=$(pg_wait_target "$PG_DST_DB" "EXISTS (SELECT 1 FROM $SCHEMA.pgbench_branches WHERE bid = 1 AND rtrim(filler) = '$marker')" 900 "$FERRY_SLOT" "$l0")
    load1=$(load)
    read -r t_app t_ckpt <<<"$res"
    [[ "$t_app" =~ ^[0-9] && "$t_ckpt" =~ ^[0-9] ]] || die "Ferry drain $name did not finish: '$res'"
    ferry_stop "$name" "$FERRY_PID"
    read -r rss cpu <<<"$(time_fields "$WORK/$name.time")"
    heap=$(gc_peak "$WORK/$name.gc.log")
    applied=$(report_field "$WORK/$name.report.json" recordsWritten)
    t_stream=$(sed -n 's/^\([0-9:.]*\) .*streaming from.*/\1/p' "$WORK/$name.out" | head -1)
    pg_verify || die "target differs from source after $name"
    t_stream=$(date -d "today $t_stream" +%s.%N)
    note "Ferry PG->PG drain $changes: applied $(secs "$t0" "$t_app") s, checkpointed $(secs "$t0" "$t_ckpt") s after launch; STREAM began $(secs "$t0" "$t_stream") s after launch, so $(rate "$expect" "$(secs "$t_stream" "$t_ckpt")") changes/s from there to the checkpoint; $applied changes applied by the job (incl. re-applied), CPU $cpu s, RSS $rss MB, heap $heap MB, load $load0 -> $load1; target == source (md5 of the 4 tables)"
    row "PG->PG drain $changes, Ferry" "$expect" "$(rate "$expect" "$(secs "$t0" "$t_ckpt")")" "$(rate "$expect" "$(secs "$t0" "$t_app")")" "-" "-" "$(us_per "$cpu" "$expect")" "$heap" "$rss" "$cpu" "$load0 -> $load1"
    peak_progress "$name"

    if [[ -z "${SKIP_DEBEZIUM:-}" ]]; then
        debezium_drain "$expect" "PG->PG drain $changes, Debezium" "dbz-drain-$changes"
        # where Debezium's slot must be for the next backlog: after the marker
        psql -X -q -At -d "$PG_SRC_DB" -c "SELECT pg_replication_slot_advance('$DBZ_SLOT', pg_current_wal_lsn()) FROM pg_replication_slots WHERE slot_name = '$DBZ_SLOT' AND NOT active" >/dev/null
    fi
}

peak_progress() { # NAME -> notes the highest changes/s of the job's progress lines
    local peak
    peak=$(sed -n "s/.*progress: \([0-9,]*\) changes\/s.*/\1/p" "$WORK/$1.out" | tr -d , | sort -n | tail -1)
    [[ -n "$peak" ]] && note "  $1: highest changes/s over one progress interval: $peak"
    return 0
}

debezium_drain() { # EXPECT LABEL NAME
    local expect="$1" label="$2" name="$3" load0 load1 res rss cpu heap
    load0=$(load)
    log "Debezium drain of $expect changes (load $load0)"
    /usr/bin/time -f '%M %U %S %e' -o "$WORK/$name.time" \
        java "-Xmx$HEAP" "-Xlog:gc:file=$WORK/$name.gc.log" -cp "$CDC_CP" dev.ferry.benchmarks.cdc.DebeziumBench drain \
        "expect=$expect" "db=$PG_SRC_DB" "slot=$DBZ_SLOT" "publication=$DBZ_SLOT" "tables=$DBZ_TABLE_LIST" \
        >"$WORK/$name.out" 2>"$WORK/$name.err" || { tail -30 "$WORK/$name.err" >&2; die "DebeziumBench drain failed"; }
    load1=$(load)
    res=$(grep '^RESULT' "$WORK/$name.out")
    read -r rss cpu <<<"$(time_fields "$WORK/$name.time")"
    heap=$(gc_peak "$WORK/$name.gc.log")
    note "Debezium drain $expect: $res; CPU $cpu s, RSS $rss MB, heap $heap MB, load $load0 -> $load1"
    local cold_s
    cold_s=$(sed -n 's/.* cold_s=\([0-9.]*\).*/\1/p' <<<"$res")
    row "$label" "$expect" "-" "-" "$(rate "$expect" "$cold_s")" "-" "$(us_per "$cpu" "$expect")" "$heap" "$rss" "$cpu" "$load0 -> $load1"
}

# ------------------------------------------------------------------------------------------------
# Live lag

cat >"$WORK/probe.sql" <<'EOF'
\set aid random(1, 100000 * :scale)
\set bid random(1, 1 * :scale)
\set tid random(1, 10 * :scale)
\set delta random(-5000, 5000)
BEGIN;
UPDATE pgbench_accounts SET abalance = abalance + :delta WHERE aid = :aid;
SELECT abalance FROM pgbench_accounts WHERE aid = :aid;
UPDATE pgbench_tellers SET tbalance = tbalance + :delta WHERE tid = :tid;
UPDATE pgbench_branches SET bbalance = bbalance + :delta WHERE bid = :bid;
INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (:tid, :bid, :aid, :delta, CURRENT_TIMESTAMP);
INSERT INTO probe (src_ts) VALUES (clock_timestamp());
END;
EOF

probe_marker() { psql -X -q -At -d "$PG_SRC_DB" -c "INSERT INTO $SCHEMA.probe (src_ts) VALUES (clock_timestamp()) RETURNING id" | head -1; }

# live_load NAME -> W0 W1 (epoch seconds of the measured window); runs pgbench for LAG_WARMUP + LAG_SECONDS
io_some60() { sed -n 's/^some .*avg60=\([0-9.]*\).*/\1/p' /proc/pressure/io 2>/dev/null || echo -; }
# lag_detail LAGFILE -> "N% over 50 ms; worst seconds: HH:MM:SS p99 ..." (the three seconds with the highest p99)
lag_detail() {
    awk '{ n++; if ($1 > 50) o++; sec = int($2); c[sec]++; v[sec, c[sec]] = $1 }
         END { printf "%.1f%% of probes over 50 ms; max per second:", n ? 100 * o / n : 0;
               for (s in c) { m = 0; for (i = 1; i <= c[s]; i++) if (v[s, i] > m) m = v[s, i]; print s, m > "/dev/stderr" } }' "$1" 2>"$1.persec"
    sort -k2 -n -r "$1.persec" | head -3 | while read -r sec m; do printf ' %s %.0f ms' "$(date -u -d "@$sec" +%H:%M:%S)" "$m"; done
}

live_load() {
    local name="$1" start total=$(( LAG_WARMUP + LAG_SECONDS ))
    log "load: pgbench -R $LAG_RATE -c $LAG_CLIENTS for ${total}s (the first ${LAG_WARMUP}s not measured)"
    start=$(now)
    PGOPTIONS="-c search_path=$SCHEMA" pgbench -n -c "$LAG_CLIENTS" -j "$LAG_CLIENTS" -R "$LAG_RATE" -T "$total" \
        -f "$WORK/probe.sql" -s "$SCALE" "$PG_SRC_DB" >"$WORK/$name.pgbench.log" 2>&1 \
        || { cat "$WORK/$name.pgbench.log" >&2; die "pgbench load failed"; }
    W0=$(awk -v s="$start" -v w="$LAG_WARMUP" 'BEGIN { printf "%.3f", s + w }')
    W1=$(now)
    IO60=$(io_some60)
    TPS=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$WORK/$name.pgbench.log" | head -1)
}

lag_ferry() {
    local name="ferry-live" load0 load1 id res stats rss cpu heap applied
    log "Ferry live lag, default settings"
    ferry_start "$name" "$WORK/pg-job-live.json" "$WORK/state-pg"
    ferry_wait_streaming "$name" "$FERRY_PID" 120
    id=$(probe_marker)
    res=$(pg_wait_target "$PG_DST_DB" "EXISTS (SELECT 1 FROM $SCHEMA.probe_seen WHERE id = $id)" 120)
    [[ "$res" =~ ^[0-9] ]] || die "Ferry did not apply the probe marker: '$res'"
    load0=$(load)
    live_load "$name"
    id=$(probe_marker)
    res=$(pg_wait_target "$PG_DST_DB" "EXISTS (SELECT 1 FROM $SCHEMA.probe_seen WHERE id = $id)" 300)
    load1=$(load)
    ferry_stop "$name" "$FERRY_PID"
    # one line per probe: lag ms, source time (epoch s), for the percentiles and to see when lag rose
    psql -X -At -F' ' -d "$PG_DST_DB" -c "SELECT (extract(epoch FROM s.seen_at - p.src_ts) * 1000)::numeric(12,3), extract(epoch FROM p.src_ts)::numeric(16,3) FROM $SCHEMA.probe p JOIN $SCHEMA.probe_seen s USING (id) WHERE p.src_ts >= to_timestamp($W0) AND p.src_ts < to_timestamp($W1) ORDER BY p.id" >"$WORK/$name.lag"
    stats=$(percentiles "$WORK/$name.lag")
    read -r rss cpu <<<"$(time_fields "$WORK/$name.time")"
    heap=$(gc_peak "$WORK/$name.gc.log")
    applied=$(report_field "$WORK/$name.report.json" recordsWritten)
    local n p50 p99 max
    read -r n p50 p99 max <<<"$stats"
    note "Ferry live lag at $TPS tps: $n probe rows, p50 $p50 ms, p99 $p99 ms, max $max ms; $(lag_detail "$WORK/$name.lag"); I/O pressure (some, avg60) at the end $IO60 %; job applied $applied changes, CPU $cpu s, RSS $rss MB, heap $heap MB, load $load0 -> $load1"
    sed -n 's/.*progress: .*\(lag [0-9]* ms\).*/\1/p' "$WORK/$name.out" | tr '\n' ' ' | sed 's/^/  Ferry progress lines: /' >&2; echo >&2
    row "PG->PG live ${LAG_RATE}/s, Ferry defaults" "$n" "-" "-" "-" "$p50/$p99" "$(us_per "$cpu" "$applied")" "$heap" "$rss" "$cpu" "$load0 -> $load1"
}

lag_debezium() { # LABEL NAME [dbz.KEY=VALUE...]
    local label="$1" name="$2" load0 load1 id i tpid rss cpu heap stats n p50 p99 max cstats
    shift 2
    psql -X -q -At -d "$PG_SRC_DB" -c "SELECT pg_replication_slot_advance('$DBZ_SLOT', pg_current_wal_lsn())" >/dev/null
    log "Debezium live lag: $label"
    rm -f "$WORK/$name.csv" "$WORK/$name.csv.stop"
    /usr/bin/time -f '%M %U %S %e' -o "$WORK/$name.time" \
        java "-Xmx$HEAP" "-Xlog:gc:file=$WORK/$name.gc.log" -cp "$CDC_CP" dev.ferry.benchmarks.cdc.DebeziumBench lag \
        "out=$WORK/$name.csv" "probe=$SCHEMA.probe" "db=$PG_SRC_DB" "slot=$DBZ_SLOT" "publication=$DBZ_SLOT" \
        "tables=$DBZ_TABLE_LIST" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
    tpid=$!
    PIDS+=("$tpid")
    # wait until it delivers a marker row
    for ((i = 0; i < 1200; i++)); do
        (( i % 20 == 0 )) && id=$(probe_marker)
        grep -q "^$id," "$WORK/$name.csv" 2>/dev/null && break
        kill -0 "$tpid" 2>/dev/null || { tail -30 "$WORK/$name.err" >&2; die "DebeziumBench lag ended early"; }
        sleep 0.1
    done
    grep -q "^$id," "$WORK/$name.csv" || die "Debezium did not deliver the probe marker in 120 s"
    load0=$(load)
    live_load "$name"
    id=$(probe_marker)
    for ((i = 0; i < 3000; i++)); do
        grep -q "^$id," "$WORK/$name.csv" 2>/dev/null && break
        sleep 0.1
    done
    load1=$(load)
    touch "$WORK/$name.csv.stop"
    for ((i = 0; i < 600; i++)); do kill -0 "$tpid" 2>/dev/null || break; sleep 0.1; done
    stop_pid "$tpid" 30
    awk -F, -v a="$W0" -v b="$W1" '$2 >= a * 1e6 && $2 < b * 1e6 { printf "%.3f %.3f\n", ($4 - $2) / 1000, $2 / 1e6 }' "$WORK/$name.csv" >"$WORK/$name.lag"
    awk -F, -v a="$W0" -v b="$W1" '$2 >= a * 1e6 && $2 < b * 1e6 { printf "%.3f\n", ($4 - $3) / 1000 }' "$WORK/$name.csv" >"$WORK/$name.commitlag"
    stats=$(percentiles "$WORK/$name.lag")
    cstats=$(percentiles "$WORK/$name.commitlag")
    read -r n p50 p99 max <<<"$stats"
    read -r rss cpu <<<"$(time_fields "$WORK/$name.time")"
    heap=$(gc_peak "$WORK/$name.gc.log")
    local changes
    changes=$(sed -n 's/^RESULT changes=\([0-9]*\).*/\1/p' "$WORK/$name.out")
    note "Debezium live lag ($label) at $TPS tps: $n probe rows, p50 $p50 ms, p99 $p99 ms, max $max ms; $(lag_detail "$WORK/$name.lag"); I/O pressure (some, avg60) at the end $IO60 % (against source.ts_us, the commit time: count/p50/p99/max $cstats); $changes changes seen, CPU $cpu s, RSS $rss MB, heap $heap MB, load $load0 -> $load1"
    row "PG->PG live ${LAG_RATE}/s, $label" "$n" "-" "-" "-" "$p50/$p99" "$(us_per "$cpu" "$changes")" "$heap" "$rss" "$cpu" "$load0 -> $load1"
}

# ------------------------------------------------------------------------------------------------
# MariaDB -> PostgreSQL

maria_setup() {
    log "MariaDB: pgbench-like tables in database $MSCHEMA ($((SCALE * 100000)) accounts); target $PG_DST_DB.$MSCHEMA"
    mariadb_q >/dev/null <<EOF
DROP DATABASE IF EXISTS $MSCHEMA;
CREATE DATABASE $MSCHEMA;
USE $MSCHEMA;
CREATE TABLE pgbench_branches (bid INT NOT NULL PRIMARY KEY, bbalance INT NOT NULL, filler CHAR(88)) ENGINE=InnoDB;
CREATE TABLE pgbench_tellers (tid INT NOT NULL PRIMARY KEY, bid INT, tbalance INT, filler CHAR(84)) ENGINE=InnoDB;
CREATE TABLE pgbench_accounts (aid INT NOT NULL PRIMARY KEY, bid INT, abalance INT, filler CHAR(84)) ENGINE=InnoDB;
CREATE TABLE pgbench_history (hid BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, tid INT, bid INT, aid INT, delta INT,
                              mtime DATETIME(6), filler CHAR(22)) ENGINE=InnoDB;
INSERT INTO pgbench_branches SELECT seq, 0, NULL FROM seq_1_to_$SCALE;
INSERT INTO pgbench_tellers SELECT seq, (seq - 1) DIV 10 + 1, 0, NULL FROM seq_1_to_$((SCALE * 10));
INSERT INTO pgbench_accounts SELECT seq, (seq - 1) DIV 100000 + 1, 0, '' FROM seq_1_to_$((SCALE * 100000));
DELIMITER //
-- N TPC-B-like transactions, as pgbench's built-in script: 3 updates and 1 insert each
CREATE PROCEDURE tpcb(n INT)
BEGIN
  DECLARE i INT DEFAULT 0;
  DECLARE a, t, b, d INT;
  WHILE i < n DO
    SET a = 1 + FLOOR(RAND() * 100000 * $SCALE), t = 1 + FLOOR(RAND() * 10 * $SCALE),
        b = 1 + FLOOR(RAND() * $SCALE), d = FLOOR(RAND() * 10000) - 5000;
    -- never 0: MariaDB logs no row for an update that changes nothing, and the count must be exact
    IF d >= 0 THEN SET d = d + 1; END IF;
    START TRANSACTION;
    UPDATE pgbench_accounts SET abalance = abalance + d WHERE aid = a;
    UPDATE pgbench_tellers SET tbalance = tbalance + d WHERE tid = t;
    UPDATE pgbench_branches SET bbalance = bbalance + d WHERE bid = b;
    INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (t, b, a, d, NOW(6));
    COMMIT;
    SET i = i + 1;
  END WHILE;
END//
DELIMITER ;
EOF
    psql_dst -c "DROP SCHEMA IF EXISTS $MSCHEMA CASCADE" -c "CREATE SCHEMA $MSCHEMA" 2>/dev/null
    local tables="" mapping=""
    for t in $PG_TABLES; do tables+="${tables:+, }\"$MSCHEMA.$t\""; mapping+="${mapping:+, }\"$MSCHEMA.$t=$MSCHEMA.$t\""; done
    cat >"$WORK/maria-job-drain.json" <<EOF
{"name": "cdc-maria-pg", "mode": "stream",
 "source": {"connector": "mariadb", "url": "$MARIADB_URL", "username": "$MARIADB_USER",
            "tables": [$tables], "capture": {"startFrom": "snapshot"}},
 "target": {"connector": "postgresql", "url": "$PG_DST_URL", "username": "$PGUSER", "tableMapping": [$mapping]},
 "settings": {"progressIntervalMillis": 100}}
EOF
    log "Ferry: snapshot of the MariaDB tables into $PG_DST_DB, then stop"
    ferry_start maria-snapshot "$WORK/maria-job-drain.json" "$WORK/state-maria"
    ferry_wait_streaming maria-snapshot "$FERRY_PID" 300
    # A stop that reaches the binlog reader before its client has connected is lost (the client then
    # streams on and the JVM ends after the CLI's 30 s stop wait, without a report): let it connect.
    sleep 3
    ferry_stop maria-snapshot "$FERRY_PID"
}

maria_sums() { # -> "accounts_sum tellers_sum branches_sum history_count history_sum"
    mariadb_q -N -B "$MSCHEMA" -e "SELECT (SELECT SUM(abalance) FROM pgbench_accounts), (SELECT SUM(tbalance) FROM pgbench_tellers), (SELECT SUM(bbalance) FROM pgbench_branches), (SELECT COUNT(*) FROM pgbench_history), (SELECT SUM(delta) FROM pgbench_history)" | tr '\t' ' '
}
maria_target_sums() {
    psql -X -At -F' ' -d "$PG_DST_DB" -c "SELECT (SELECT SUM(abalance) FROM $MSCHEMA.pgbench_accounts), (SELECT SUM(tbalance) FROM $MSCHEMA.pgbench_tellers), (SELECT SUM(bbalance) FROM $MSCHEMA.pgbench_branches), (SELECT COUNT(*) FROM $MSCHEMA.pgbench_history), (SELECT SUM(delta) FROM $MSCHEMA.pgbench_history)"
}

# binlog_after LOGFILE FILE OFFSET -> true when the last checkpoint in the job's log is past FILE:OFFSET
binlog_ckpt_past() {
    local last
    last=$(tail -n 20 "$1" 2>/dev/null | sed -n 's/.*checkpoint \([^ ;]*\).*/\1/p' | tail -1)
    [[ -n "$last" && "$last" != "-" ]] || return 1
    awk -v c="$last" -v f="$2" -v o="$3" 'BEGIN {
        split(c, a, ":"); n = split(a[1], fa, "."); m = split(f, fb, ".");
        cs = fa[n] + 0; fs = fb[m] + 0;
        exit !((cs > fs) || (cs == fs && a[2] + 0 > o + 0)) }'
}

drain_maria() { # CHANGES
    local changes="$1" expect=$(( $1 + 1 )) name="maria-drain-$1" per_client=$(( $1 / 8 ))
    local pos file offset marker t0 t_app t_ckpt res load0 load1 rss cpu heap applied i bstart pids=()
    log "MariaDB backlog: $((per_client * 2)) transactions = $changes row changes (2 sessions)"
    bstart=$(now)
    mariadb_q "$MSCHEMA" -e "CALL tpcb($per_client)" & pids+=($!)
    mariadb_q "$MSCHEMA" -e "CALL tpcb($per_client)" & pids+=($!)
    for p in "${pids[@]}"; do wait "$p" || die "MariaDB backlog failed"; done
    log "MariaDB backlog written in $(secs "$bstart" "$(now)") s"
    pos=$(mariadb_q -N -B -e "SHOW MASTER STATUS" | head -1)
    file=$(cut -f1 <<<"$pos"); offset=$(cut -f2 <<<"$pos")
    marker="end-$changes-$$"
    mariadb_q "$MSCHEMA" -e "UPDATE pgbench_branches SET filler = '$marker' WHERE bid = 1"
    local jfr=()
    [[ -n "${JFR:-}" ]] && jfr=("-XX:StartFlightRecording=filename=$WORK/$name.jfr,settings=profile")
    load0=$(load)
    log "Ferry drain of $expect changes from MariaDB (binlog after the backlog: $file:$offset; load $load0)"
    t0=$(now)
    ferry_start "$name" "$WORK/maria-job-drain.json" "$WORK/state-maria" "${jfr[@]}"
    res=$(pg_wait_target "$PG_DST_DB" "EXISTS (SELECT 1 FROM $MSCHEMA.pgbench_branches WHERE bid = 1 AND rtrim(filler) = '$marker')" 900)
    read -r t_app _ <<<"$res"
    [[ "$t_app" =~ ^[0-9] ]] || die "Ferry drain $name did not apply the marker: '$res'"
    t_ckpt=""
    for ((i = 0; i < 6000; i++)); do
        if binlog_ckpt_past "$WORK/$name.out" "$file" "$offset"; then t_ckpt=$(now); break; fi
        sleep 0.05
    done
    load1=$(load)
    [[ -n "$t_ckpt" ]] || die "Ferry drain $name: no checkpoint past $file:$offset"
    ferry_stop "$name" "$FERRY_PID"
    read -r rss cpu <<<"$(time_fields "$WORK/$name.time")"
    heap=$(gc_peak "$WORK/$name.gc.log")
    applied=$(report_field "$WORK/$name.report.json" recordsWritten)
    local src dst
    src=$(maria_sums); dst=$(maria_target_sums)
    [[ "$src" == "$dst" ]] || die "target differs from MariaDB after $name: source $src, target $dst"
    local t_stream
    t_stream=$(date -d "today $(sed -n 's/^\([0-9:.]*\) .*streaming from.*/\1/p' "$WORK/$name.out" | head -1)" +%s.%N)
    note "Ferry MariaDB->PG drain $changes: applied $(secs "$t0" "$t_app") s, checkpointed $(secs "$t0" "$t_ckpt") s after launch; STREAM began $(secs "$t0" "$t_stream") s after launch, so $(rate "$expect" "$(secs "$t_stream" "$t_ckpt")") changes/s from there to the checkpoint; $applied changes applied by the job, CPU $cpu s, RSS $rss MB, heap $heap MB, load $load0 -> $load1; target sums == source ($src)"
    row "MariaDB->PG drain $changes, Ferry" "$expect" "$(rate "$expect" "$(secs "$t0" "$t_ckpt")")" "$(rate "$expect" "$(secs "$t0" "$t_app")")" "-" "-" "$(us_per "$cpu" "$expect")" "$heap" "$rss" "$cpu" "$load0 -> $load1"
    peak_progress "$name"
}

# ------------------------------------------------------------------------------------------------

START_LOAD=$(load)
log "work dir $WORK; load $START_LOAD"
if [[ -z "${SKIP_PG:-}" ]]; then
    pg_setup
    for n in $CHANGES; do drain_pg "$n"; done
    if [[ -z "${SKIP_LAG:-}" ]]; then
        lag_ferry
        if [[ -z "${SKIP_DEBEZIUM:-}" ]]; then
            lag_debezium "Debezium defaults" dbz-live-default
            lag_debezium "Debezium poll.interval.ms=10" dbz-live-poll10 dbz.poll.interval.ms=10
        fi
    fi
fi
if [[ -z "${SKIP_MARIADB:-}" ]]; then
    maria_setup
    for n in $CHANGES; do drain_maria "$n"; done
fi

echo
echo "Ferry change capture, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)"
echo "$(java -version 2>&1 | head -1), -Xmx$HEAP, pgbench scale $SCALE, load at start $START_LOAD, work dir $WORK"
echo
printf "$FORMAT" "workload" "changes" "ckpt ch/s" "appl ch/s" "seen ch/s" "lag ms" "CPU us" "heap MB" "RSS MB" "CPU s" "load 1/5/15 min"
printf "$FORMAT" "" "" "(cold)" "(cold)" "(cold)" "p50/p99" "/change" "(peak)" "(max)" "(JVM)" "before -> after"
printf '%s\n' "${ROWS_OUT[@]}"
echo
printf '%s\n' "${NOTES[@]}"
echo
echo "ckpt ch/s: changes / seconds from launching the Ferry JVM until the checkpoint covered the whole backlog"
echo "(applied, saved, acknowledged). appl ch/s: ... until the target had applied it all. seen ch/s: Debezium,"
echo "changes / seconds from its JVM's start until the no-op consumer had seen them all. lag: source commit"
echo "(clock_timestamp() before COMMIT) -> target commit (Ferry) or consumer receipt (Debezium), over the probe"
echo "rows of the last ${LAG_SECONDS}s of the load. CPU us/change: user + system CPU of the JVM / changes."
