package dev.ferry.connector.jdbc;

import java.util.List;

/**
 * H2 2.x SQL: {@code MERGE INTO … KEY (…) VALUES (…)} upserts, {@code TRUNCATE TABLE}, and
 * {@code OFFSET n ROWS FETCH FIRST 1 ROW ONLY} for walking the key index in split planning.
 *
 * <p>Threading: immutable; safe to share.
 */
final class H2Sql extends GenericSql {

    /** @param types the H2 mapping that declares column types */
    H2Sql(TypeMapping types) {
        super(types);
    }

    @Override
    public String upsertSql(String quotedTable, List<String> columns, List<String> keyColumns) {
        StringBuilder sb = new StringBuilder("MERGE INTO ").append(quotedTable).append(" (");
        appendColumns(sb, columns);
        sb.append(") KEY (");
        appendColumns(sb, keyColumns);
        sb.append(") VALUES (");
        appendPlaceholders(sb, columns.size());
        return sb.append(')').toString();
    }

    @Override
    public String truncateSql(String quotedTable) {
        return "TRUNCATE TABLE " + quotedTable;
    }

    @Override
    public String skipAndTakeOne(long offset) {
        return "OFFSET " + offset + " ROWS FETCH FIRST 1 ROW ONLY";
    }
}
