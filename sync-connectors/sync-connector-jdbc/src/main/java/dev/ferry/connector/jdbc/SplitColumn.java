package dev.ferry.connector.jdbc;

import java.util.Objects;

/**
 * The integer column a table is split by, named both ways a dialect needs it: as the catalog knows
 * it (for statistics look-ups) and quoted (for SQL).
 *
 * @param table        the table
 * @param quotedTable  the table, quoted for SQL
 * @param column       the column's name as the catalog spells it
 * @param quotedColumn the column, quoted for SQL
 * @param where        the job's row filter (SQL written by the job's author), or null
 */
public record SplitColumn(TableName table, String quotedTable, String column, String quotedColumn, String where) {

    public SplitColumn {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(quotedTable, "quotedTable");
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(quotedColumn, "quotedColumn");
    }

    /** The split column and table of {@code table} and {@code column}, quoted by {@code sql}. */
    public static SplitColumn of(SqlRenderer sql, TableName table, String column, String where) {
        return new SplitColumn(table, sql.quoteTable(table), column, sql.quoteIdentifier(column), where);
    }
}
