package dev.ferry.connector.mariadb;

import dev.ferry.connector.jdbc.GenericSql;
import dev.ferry.connector.jdbc.TypeMapping;
import java.util.List;

/**
 * MariaDB and MySQL SQL.
 *
 * <ul>
 *   <li>Identifiers in backticks; a qualified {@code table} is {@code database.table}. Backslashes
 *       escape inside string literals (the server's default), which matters for splitting
 *       scripts.</li>
 *   <li>Upserts: {@code INSERT … ON DUPLICATE KEY UPDATE c = VALUES(c)}, which reacts to any unique
 *       key of the table; a change stream into a table with other unique keys uses
 *       {@code REPLACE} instead ({@link #changeUpsertSql}).</li>
 *   <li>{@code TRUNCATE TABLE}; {@code LIMIT 1 OFFSET n} for walking the key index.</li>
 * </ul>
 *
 * <p>Threading: immutable; safe to share.
 */
final class MariaDbSql extends GenericSql {

    /** @param types the MariaDB mapping that declares column types */
    MariaDbSql(TypeMapping types) {
        super(types);
    }

    @Override
    public String quoteIdentifier(String identifier) {
        return quote(identifier, '`');
    }

    @Override
    public boolean backslashEscapes() {
        return true;
    }

    @Override
    public String upsertSql(String quotedTable, List<String> columns, List<String> keyColumns) {
        StringBuilder sb = new StringBuilder(insertSql(quotedTable, columns)).append(" ON DUPLICATE KEY UPDATE ");
        List<String> set = nonKey(columns, keyColumns);
        if (set.isEmpty()) {
            // Nothing to update: keep the existing row (INSERT IGNORE would also hide bad values).
            String key = quoteIdentifier(keyColumns.get(0));
            return sb.append(key).append(" = ").append(key).toString();
        }
        for (int i = 0; i < set.size(); i++) {
            String column = quoteIdentifier(set.get(i));
            sb.append(i == 0 ? "" : ", ").append(column).append(" = VALUES(").append(column).append(')');
        }
        return sb.toString();
    }

    /**
     * With other unique keys, {@code ON DUPLICATE KEY UPDATE} could update whichever row holds a
     * colliding unique value instead of the row with this key; {@code REPLACE} removes every row
     * the new one collides with, which is what the source's order of changes implies.
     */
    @Override
    public String changeUpsertSql(String quotedTable, List<String> columns, List<String> keyColumns,
                                  boolean otherUniqueKeys) {
        return otherUniqueKeys ? "REPLACE" + insertSql(quotedTable, columns).substring("INSERT".length())
                : upsertSql(quotedTable, columns, keyColumns);
    }

    @Override
    public String truncateSql(String quotedTable) {
        return "TRUNCATE TABLE " + quotedTable;
    }

    @Override
    public String skipAndTakeOne(long offset) {
        return "LIMIT 1 OFFSET " + offset;
    }
}
