package dev.ferry.connector.jdbc;

import java.util.List;

/**
 * SQL of the databases that speak PostgreSQL's dialect of writing and paging (PostgreSQL, DuckDB):
 * standard SQL as {@link GenericSql} writes it, with {@code INSERT … ON CONFLICT (key) DO UPDATE
 * SET c = EXCLUDED.c} upserts ({@code DO NOTHING} when every column is a key column) and
 * {@code LIMIT 1 OFFSET n} for walking the key index in split planning. Each database's renderer
 * extends it with what it does differently.
 *
 * <p>Threading: immutable; safe to share.
 */
public class OnConflictSql extends GenericSql {

    /** @param types the mapping that declares column types */
    public OnConflictSql(TypeMapping types) {
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
    public String skipAndTakeOne(long offset) {
        return "LIMIT 1 OFFSET " + offset;
    }
}
