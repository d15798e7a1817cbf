package dev.ferry.connector.duckdb;

import dev.ferry.connector.jdbc.OnConflictSql;
import dev.ferry.connector.jdbc.TypeMapping;

/**
 * DuckDB SQL: PostgreSQL's dialect of writing and paging ({@link OnConflictSql}: {@code INSERT …
 * ON CONFLICT (key) DO UPDATE} upserts, {@code LIMIT 1 OFFSET n} key walks), double-quoted
 * identifiers (DuckDB matches names ignoring case, quoted or not), and {@code DELETE FROM} to empty
 * a table (DuckDB's {@code TRUNCATE} is the same delete).
 *
 * <p>Threading: immutable; safe to share.
 */
final class DuckDbSql extends OnConflictSql {

    /** @param types the DuckDB mapping that declares column types */
    DuckDbSql(TypeMapping types) {
        super(types);
    }
}
