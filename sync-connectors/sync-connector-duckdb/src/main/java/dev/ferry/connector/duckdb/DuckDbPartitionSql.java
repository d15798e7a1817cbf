package dev.ferry.connector.duckdb;

import dev.ferry.api.data.Column;
import dev.ferry.api.data.TableSchema;
import dev.ferry.connector.jdbc.SqlRenderer;
import dev.ferry.connector.jdbc.StandardPartitionSql;
import dev.ferry.connector.jdbc.TableName;

import dev.ferry.connector.jdbc.TypeMapping;
import dev.ferry.connector.jdbc.WriteMode;
import java.util.List;
import java.util.Map;

/**
 * Partitioned targets on DuckDB, which has no partitioned tables: a base table is a plain table
 * with the Business-Date column and no key (DuckDB's key checks refuse deleting and inserting one
 * key in a transaction), a partition is its rows of one date, and the dates that have a partition,
 * even an empty one, are listed in {@code _ferry_partitions} in the base's schema.
 *
 * <p>A staging table has the base's columns, keyed on the source's key, with the Business-Date
 * column defaulting to the date's value. The swap, in one transaction, deletes the base's rows of
 * the date, inserts the staging table's, records the date and drops the staging table.
 *
 * <p>Threading: immutable; safe to share.
 */
final class DuckDbPartitionSql extends StandardPartitionSql {

    private static final String PARTITIONS = "_ferry_partitions";

    DuckDbPartitionSql(SqlRenderer sql, TypeMapping types) {
        super(sql, types);
    }

    private static TableName partitions(TableName base) {
        return new TableName(base.schema(), PARTITIONS);
    }

    @Override
    public String createBaseTableSql(TableName base, TableSchema source, String column) {
        return sql().createTableSql(quoted(base), withDateColumn(source, column, List.of()));
    }

    @Override
    public List<String> prepareBaseSql(TableName base) {
        return List.of("CREATE TABLE IF NOT EXISTS " + quoted(partitions(base))
                + " (table_name VARCHAR NOT NULL, partition_value VARCHAR NOT NULL, PRIMARY KEY (table_name, partition_value))");
    }

    @Override
    public List<String> createStagingSql(TableName base, TableName staging, TableSchema baseColumns,
                                         List<String> keyColumns, String column, String value,
                                         Map<String, String> defaults) {
        StringBuilder sb = new StringBuilder("CREATE TABLE ").append(quoted(staging)).append(" (");
        for (Column c : baseColumns.columns()) {
            sb.append(id(c.name())).append(' ').append(types().columnDefinition(c));
            if (defaults.containsKey(c.name())) {
                sb.append(" DEFAULT ").append(literal(defaults.get(c.name())));
            }
            sb.append(keyColumns.contains(c.name()) ? " NOT NULL, " : ", ");
        }
        return List.of(sb.append(id(column)).append(" VARCHAR DEFAULT ").append(literal(value)).append(" NOT NULL)")
                .toString());
    }

    /**
     * Copies insert through DuckDB's appender (upserting row by row is two orders of magnitude
     * slower); a split written twice after a crash leaves two rows of a key in the staging table,
     * and the swap keeps the one inserted last (the staging table is only ever appended to, so
     * DuckDB's {@code rowid} follows the order of the inserts).
     */
    @Override
    public WriteMode stagingWriteMode() {
        return WriteMode.INSERT;
    }

    @Override
    public List<String> beforeSwapSql(TableName base, TableName staging, List<String> keyColumns, String column,
                                      String value) {
        return List.of();
    }

    @Override
    public List<String> swapSql(TableName base, TableName staging, List<String> keyColumns, List<String> columns,
                                String column, String value) {
        return List.of("DELETE FROM " + quoted(base) + " WHERE " + id(column) + " = " + literal(value),
                "INSERT INTO " + quoted(base) + " (" + list("", columns) + ", " + id(column) + ") SELECT "
                        + list("", columns) + ", " + literal(value) + " FROM " + quoted(staging) + " QUALIFY "
                        + "row_number() OVER (PARTITION BY " + list("", keyColumns) + " ORDER BY rowid DESC) = 1",
                "INSERT INTO " + quoted(partitions(base)) + " VALUES (" + literal(base.name()) + ", " + literal(value)
                        + ") ON CONFLICT DO NOTHING",
                "DROP TABLE " + quoted(staging));
    }

    @Override
    public String partitionExistsSql(TableName base, String column, String value) {
        return "SELECT 1 FROM " + quoted(partitions(base)) + " WHERE table_name = " + literal(base.name())
                + " AND partition_value = " + literal(value);
    }
}
