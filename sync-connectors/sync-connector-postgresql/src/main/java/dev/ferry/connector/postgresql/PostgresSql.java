package dev.ferry.connector.postgresql;

import dev.ferry.connector.jdbc.DbColumn;
import dev.ferry.connector.jdbc.OnConflictSql;
import dev.ferry.connector.jdbc.TypeMapping;
import java.util.List;

/**
 * PostgreSQL SQL: double-quoted identifiers (as standard), {@code INSERT … ON CONFLICT (key) DO
 * UPDATE} upserts and {@code LIMIT 1 OFFSET n} key walks (both {@link OnConflictSql}'s),
 * {@code TRUNCATE TABLE}, and the {@code COPY … FROM STDIN} statement of the bulk insert path
 * ({@link CopyLoader}).
 *
 * <p>Threading: immutable; safe to share.
 */
public final class PostgresSql extends OnConflictSql {

    /** @param types the PostgreSQL mapping that declares column types */
    PostgresSql(TypeMapping types) {
        super(types);
    }

    @Override
    public String truncateSql(String quotedTable) {
        return "TRUNCATE TABLE " + quotedTable;
    }

    /** {@code COPY table (columns) FROM STDIN} in text format. */
    String copySql(String quotedTable, List<DbColumn> columns) {
        StringBuilder sb = new StringBuilder("COPY ").append(quotedTable).append(" (");
        for (int i = 0; i < columns.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(quoteIdentifier(columns.get(i).name()));
        }
        return sb.append(") FROM STDIN").toString();
    }

}
