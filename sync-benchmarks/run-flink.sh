#!/usr/bin/env bash
# Flink against the local engine: one PostgreSQL -> PostgreSQL batch job file, run by the local
# engine and on a Flink MiniCluster in turn, and one table.
#
#   flock /tmp/ferry-bench.lock sync-benchmarks/run-flink.sh
#   ROWS=1000000 sync-benchmarks/run-flink.sh        # a quick check of the harness (1 M rows)
#
# The job copies ferry_bench_src (ROWS rows, the five columns of run-e2e.sh, created server-side
# once and reused while its row count matches: lib/pg-source-table.sh) into
# ferry_flink_bench.ferry_bench_dst (a scratch schema, dropped at the end) by key ranges (splitPk
# id, SPLITS splits) at CONCURRENCY: the local engine with that many channels, Flink at that
# parallelism (FlinkRunner.builder().local(), one MiniCluster per run). The engines alternate as
# RUNS lists them, so that a change in the machine's load hits both alike. Every run is its own JVM
# (dev.ferry.benchmarks.FlinkVsLocal, java -Xmx$HEAP, under /usr/bin/time -v) and starts with the
# target truncated and a CHECKPOINT. Per run the table gives:
#   SYNC rec/s   the report's recordsPerSecond (records over the SYNC stage)
#   wall         from the submission to the report, inside the JVM (Flink: starting the MiniCluster
#                included)
#   startup      from the submission until SYNC began (local: PRE and SPLIT; Flink: the cluster's
#                start, the job's deployment, PRE and SPLIT); PRE+SPLIT are the report's stages
#   SYNC, POST   the report's stages
#   process      the JVM's whole life (its start and exit too); CPU (user + system) and maximum RSS
#                of the JVM, from /usr/bin/time; the database server's CPU is not included
#   load         `uptime`'s load averages (1, 5, 15 min) just before and just after the run
#   target       the target's row count and checksum (the sum of a 64-bit hash of every row's text)
#                against the source's, checked after every run
# The exit status is 1 when a run fails or a target differs from the source.
#
# Needs: the benchmark module built with its Flink jars (mvn -q -DskipTests package -pl sync-benchmarks
# -am copies them to sync-benchmarks/target/flink-lib; the script runs that when they are missing),
# psql, /usr/bin/time, PostgreSQL at $PGHOST:$PGPORT.
#
# Environment (defaults in brackets):
#   ROWS [10000000]  CONCURRENCY [2]  SPLITS [4 x CONCURRENCY]  RUNS ["local flink flink local"]
#   HEAP [256m]  JFR [unset]: 1 records a Flight Recorder profile of every run (NAME.jfr in WORK)
#   PGHOST [127.0.0.1] PGPORT [5432] PGDATABASE [test] PGUSER [root] (no password)
#   WORK [a new temporary directory]: the job file, reports, logs, /usr/bin/time outputs
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CLASSES="$ROOT/sync-benchmarks/target/classes"
LIB="$ROOT/sync-benchmarks/target/flink-lib"
ROWS="${ROWS:-10000000}"
CONCURRENCY="${CONCURRENCY:-2}"
SPLITS="${SPLITS:-$((4 * CONCURRENCY))}"
RUNS="${RUNS:-local flink flink local}"
HEAP="${HEAP:-256m}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGDATABASE="${PGDATABASE:-test}" PGUSER="${PGUSER:-root}"
WORK="${WORK:-$(mktemp -d -t ferry-flink.XXXXXX)}"
mkdir -p "$WORK"
PG_URL="jdbc:postgresql://$PGHOST:$PGPORT/$PGDATABASE"
SOURCE=ferry_bench_src
# A schema of its own for the target: the split ledger that a run on Flink keeps in the target
# (ferry_split_ledger) lives in the target's schema, and tests that run meanwhile on the same
# database drop public.ferry_split_ledger when they end.
TARGET_SCHEMA=ferry_flink_bench
TARGET=$TARGET_SCHEMA.ferry_bench_dst

die() { echo "run-flink: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
# shellcheck source=lib/pg-source-table.sh
source "$ROOT/sync-benchmarks/lib/pg-source-table.sh"

[[ -x /usr/bin/time ]] || die "/usr/bin/time is needed for CPU time and RSS (apt-get install time)"
for engine in $RUNS; do
    [[ "$engine" == local || "$engine" == flink ]] || die "RUNS may list only local and flink, got '$engine'"
done
if [[ ! -f "$CLASSES/dev/ferry/benchmarks/FlinkVsLocal.class" || ! -d "$LIB" ]]; then
    log "the benchmark module or its Flink jars are missing; building them (mvn -q -DskipTests package -pl sync-benchmarks -am)"
    (cd "$ROOT" && mvn -q -DskipTests package -pl sync-benchmarks -am)
fi

# checksum TABLE -> "ROWS SUM": order-independent, over every column's text
checksum() { psql_q -At -F' ' -c "SELECT count(*), coalesce(sum(hashtextextended(t::text, 0)), 0) FROM $1 t"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
# timed FILE LABEL -> the number after "LABEL: " in /usr/bin/time -v's output
timed() { sed -n "s/^[[:space:]]*$2: //p" "$1"; }
# get KEY -> the value of KEY in the current run's RESULT line
get() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$result"; }

pg_source_table "$SOURCE" "$ROWS"
trap 'psql_q -c "DROP SCHEMA IF EXISTS $TARGET_SCHEMA CASCADE" >/dev/null 2>&1 || true' EXIT
psql_q -c "DROP SCHEMA IF EXISTS $TARGET_SCHEMA CASCADE" -c "CREATE SCHEMA $TARGET_SCHEMA" \
    -c "CREATE TABLE $TARGET ($PG_COLUMNS, PRIMARY KEY (id))"
log "checksumming the source"
SOURCE_SUM=$(checksum "$SOURCE")

JOB="$WORK/pg-pg.json"
cat >"$JOB" <<JSON
{"name": "pg-pg-flink-vs-local",
 "source": {"connector": "postgresql", "url": "$PG_URL", "username": "$PGUSER", "table": "$SOURCE",
            "splitPk": "id", "splitCount": $SPLITS},
 "target": {"connector": "postgresql", "url": "$PG_URL", "username": "$PGUSER", "table": "$TARGET",
            "truncateBeforeWrite": true},
 "settings": {"concurrency": $CONCURRENCY}}
JSON

FORMAT='%-3s %-6s %-16s %-16s %10s %7s %8s %10s %7s %6s %8s %6s %7s %6s  %s\n'
ROWS_OUT=()
FAILED=""
n=0
for engine in $RUNS; do
    n=$((n + 1))
    name="$n-$engine"
    psql_q -c "TRUNCATE $TARGET"
    pg_checkpoint
    jfr=()
    [[ -n "${JFR:-}" ]] && jfr=("-XX:StartFlightRecording=filename=$WORK/$name.jfr,settings=profile")
    before=$(loadavg)
    log "run $name ($ROWS rows, load $before)"
    code=0
    /usr/bin/time -v -o "$WORK/$name.time" java "-Xmx$HEAP" "${jfr[@]}" -cp "$CLASSES:$LIB/*" \
        dev.ferry.benchmarks.FlinkVsLocal "$engine" "$JOB" "$WORK/$name.report.json" "$WORK/$name.log" \
        >"$WORK/$name.out" 2>"$WORK/$name.err" || code=$?
    after=$(loadavg)
    result=$(grep '^RESULT ' "$WORK/$name.out" || true)
    if [[ "$code" != 0 || -z "$result" ]]; then
        tail -n 5 "$WORK/$name.out" "$WORK/$name.err" >&2 || true
        log "run $name failed (exit $code); see $WORK/$name.out, .err and .log"
        FAILED=1
        ROWS_OUT+=("$(printf "$FORMAT" "$n" "$engine" "$before" "$after" failed - - - - - - - - - -)")
        continue
    fi
    target_sum=$(checksum "$TARGET")
    if [[ "$target_sum" == "$SOURCE_SUM" && "$(get records)" == "$ROWS" ]]; then
        check="equal ($target_sum)"
    else
        check="DIFFERENT: $target_sum, source $SOURCE_SUM, report $(get records) written"
        FAILED=1
    fi
    elapsed=$(timed "$WORK/$name.time" 'Elapsed (wall clock) time (h:mm:ss or m:ss)' \
        | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.1f", s }')
    cpu=$(awk -v u="$(timed "$WORK/$name.time" 'User time (seconds)')" \
        -v s="$(timed "$WORK/$name.time" 'System time (seconds)')" 'BEGIN { printf "%.1f", u + s }')
    rss=$(awk -v k="$(timed "$WORK/$name.time" 'Maximum resident set size (kbytes)')" 'BEGIN { printf "%.0f", k / 1024 }')
    pre_split=$(awk -v a="$(get pre_s)" -v b="$(get split_s)" 'BEGIN { printf "%.2f", a + b }')
    ROWS_OUT+=("$(printf "$FORMAT" "$n" "$engine" "$before" "$after" "$(get sync_rate)" "$(get wall_s)" \
        "$(get startup_s)" "$pre_split" "$(get sync_s)" "$(get post_s)" "$elapsed" "$cpu" "$rss" "$(get splits)" "$check")")
    echo "$engine $(get sync_rate)" >>"$WORK/rates"
done

echo
echo "Ferry on Flink against the local engine, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)"
echo "PostgreSQL -> PostgreSQL, $ROWS rows, $SPLITS splits at concurrency/parallelism $CONCURRENCY; $(java -version 2>&1 | head -1), -Xmx$HEAP; work dir $WORK"
echo
printf "$FORMAT" "#" "engine" "load before" "load after" "SYNC rec/s" "wall s" "startup" "PRE+SPLIT" "SYNC s" "POST s" "process" "CPU s" "RSS MB" "splits" "target = source (rows, checksum)"
printf "$FORMAT" "" "" "(1/5/15 min)" "(1/5/15 min)" "(report)" "" "s" "s" "" "" "s" "(JVM)" "(max)" "" ""
printf '%s\n' "${ROWS_OUT[@]}"
if [[ -f "$WORK/rates" ]]; then
    echo
    awk '{ sum[$1] += $2; runs[$1]++ }
         END { for (e in sum) printf "mean SYNC rec/s, %s: %.0f (%d runs)\n", e, sum[e] / runs[e], runs[e];
               if (runs["local"] && runs["flink"])
                   printf "flink / local: %.2f\n", (sum["flink"] / runs["flink"]) / (sum["local"] / runs["local"]) }' \
        "$WORK/rates"
fi
[[ -z "$FAILED" ]] || die "a run failed or its target differs from the source; see $WORK"
