# The PostgreSQL source table the harnesses copy, sourced by run-e2e.sh, run-verify.sh and
# run-flink.sh: five columns (bigint key, varchar(12), double, timestamp, boolean) and rows
# generated server-side, the same values in every harness. The caller sets PGHOST, PGPORT,
# PGDATABASE and PGUSER and defines log MESSAGE.

PG_COLUMNS="id bigint NOT NULL, name varchar(12) NOT NULL, amount double precision NOT NULL, created_at timestamp NOT NULL, active boolean NOT NULL"

psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
pg_count() { psql_q -At -c "SELECT count(*) FROM $1"; }
# No dirty buffers left to write back before a timed run (needs superuser; skipped without it).
pg_checkpoint() { psql_q -c "CHECKPOINT" >/dev/null 2>&1 || true; }

# pg_source_table TABLE ROWS: creates TABLE with rows 1..ROWS unless it already holds ROWS rows
# (FRESH_TABLES=1 recreates it anyway); a primary key on id, analysed.
pg_source_table() {
    local table="$1" rows="$2" have=-1
    if [[ "$(psql_q -At -c "SELECT to_regclass('$table') IS NOT NULL")" == "t" ]]; then
        have=$(pg_count "$table")
    fi
    if [[ -n "${FRESH_TABLES:-}" || "$have" != "$rows" ]]; then
        log "creating PostgreSQL $table with $rows rows"
        psql_q <<SQL
DROP TABLE IF EXISTS $table;
CREATE TABLE $table ($PG_COLUMNS);
INSERT INTO $table
  SELECT g, substr(md5(g::text), 1, 12), (g % 1000003) * 0.37, timestamp '2000-01-01' + g * interval '1 second', g % 3 = 0
  FROM generate_series(1, $rows) g;
ALTER TABLE $table ADD PRIMARY KEY (id);
VACUUM ANALYZE $table;
SQL
    fi
}
