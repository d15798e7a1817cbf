package dev.ferry.connector.postgresql;

import dev.ferry.connector.jdbc.DbColumn;
import dev.ferry.connector.jdbc.GenericSql;
import dev.ferry.connector.jdbc.TypeMapping;
import java.util.List;

/**
 * PostgreSQL SQL: double-quoted identifiers (as standard), {@code INSERT … ON CONFLICT (key) DO
 * UPDATE} upserts ({@code DO NOTHING} when every column is a key column), {@code TRUNCATE TABLE},
 * {@code LIMIT 1 OFFSET n} for walking the key index, and the {@code COPY … FROM STDIN} statement
 * of the bulk insert path ({@link CopyLoader}).
 *
 * <p>Threading: immutable; safe to share.
 */
public final class PostgresSql extends GenericSql {

    /** @param types the PostgreSQL mapping that declares column types */
    PostgresSql(TypeMapping types) {
        super(types);
    }

    @Override
    public String upsertSql(String quotedTable, List<String> columns, List<String> keyColumns) {
        StringBuilder sb = new StringBuilder(insertSql(quotedTable, columns)).append(" ON CONFLICT (");
        appendColumns(sb, keyColumns);
        sb.append(')');
        List<String> set = nonKey(columns, keyColumns);
        if (set.isEmpty()) {
            return sb.append(" DO NOTHING").toString();
        }
        sb.append(" DO UPDATE SET ");
        for (int i = 0; i < set.size(); i++) {
            String column = quoteIdentifier(set.get(i));
            sb.append(i == 0 ? "" : ", ").append(column).append(" = EXCLUDED.").append(column);
        }
        return sb.toString();
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

    @Override
    public String skipAndTakeOne(long offset) {
        return "LIMIT 1 OFFSET " + offset;
    }
}
