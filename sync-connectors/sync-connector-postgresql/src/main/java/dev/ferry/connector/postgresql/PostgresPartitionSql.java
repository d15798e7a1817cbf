package dev.ferry.connector.postgresql;

import dev.ferry.api.data.TableSchema;
import dev.ferry.connector.jdbc.SqlRenderer;
import dev.ferry.connector.jdbc.StandardPartitionSql;
import dev.ferry.connector.jdbc.TableName;
import dev.ferry.connector.jdbc.TypeMapping;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Partitioned targets on PostgreSQL: a base table is declaratively partitioned
 * ({@code PARTITION BY LIST} on the Business-Date column, keyed on the source's key plus that
 * column), and each date's partition is a table of its own named {@code <base>_<value>}.
 *
 * <p>A staging table is made {@code LIKE} the base, keyed on the source's key for copies that
 * write by key, with the Business-Date column defaulting to the date's value and a {@code CHECK}
 * that it holds that value (added while the table is empty, so it costs no scan, and it spares
 * {@code ATTACH} its scan). Before the swap a unique index on the base's key is built on it outside
 * any lock readers would wait for; the swap then, in one transaction, drops the old partition,
 * renames the staging table to the partition's name, replaces its staging key by a primary key on
 * that index (named for the partition) and attaches the table, which adopts the key instead of
 * building one. Readers see the old partition or the new one.
 *
 * <p>Names longer than PostgreSQL's 63 bytes are cut and told apart by a hash. The position order
 * key is {@code text COLLATE "C"}, so that it sorts character by character whatever the database's
 * collation.
 *
 * <p>Threading: immutable; safe to share.
 */
final class PostgresPartitionSql extends StandardPartitionSql {

    private static final int MAX_NAME_BYTES = 63;
    private static final String VALUE_CHECK = "ferry_partition_value";

    PostgresPartitionSql(SqlRenderer sql, TypeMapping types) {
        super(sql, types);
    }

    @Override
    protected int maxNameLength() {
        return MAX_NAME_BYTES;
    }

    @Override
    protected String positionType() {
        return "text COLLATE \"C\"";
    }

    /** The partition table of one date. */
    TableName partitionTable(TableName base, String value) {
        return sibling(base, "_" + value);
    }

    private TableName stagingKey(TableName staging) {
        return sibling(staging, "_pk");
    }

    private TableName stagingIndex(TableName staging) {
        return sibling(staging, "_key");
    }

    @Override
    public String createBaseTableSql(TableName base, TableSchema source, String column) {
        List<String> key = new ArrayList<>(source.primaryKey());
        key.add(column);
        return sql().createTableSql(quoted(base), withDateColumn(source, column, key)) + " PARTITION BY LIST ("
                + id(column) + ")";
    }

    @Override
    public List<String> prepareBaseSql(TableName base) {
        return List.of();
    }

    @Override
    public List<String> createStagingSql(TableName base, TableName staging, TableSchema baseColumns,
                                         List<String> keyColumns, String column, String value,
                                         Map<String, String> defaults) {
        String table = quoted(staging);
        List<String> statements = new ArrayList<>();
        statements.add("CREATE TABLE " + table + " (LIKE " + quoted(base) + " INCLUDING DEFAULTS)");
        statements.add("ALTER TABLE " + table + " ALTER COLUMN " + id(column) + " SET DEFAULT " + literal(value));
        defaults.forEach((name, fill) -> statements.add("ALTER TABLE " + table + " ALTER COLUMN " + id(name)
                + " SET DEFAULT " + literal(fill)));
        statements.add("ALTER TABLE " + table + " ADD CONSTRAINT " + id(VALUE_CHECK) + " CHECK (" + id(column) + " = "
                + literal(value) + ")");
        statements.add("ALTER TABLE " + table + " ADD CONSTRAINT " + id(stagingKey(staging).name()) + " PRIMARY KEY ("
                + list("", keyColumns) + ")");
        return statements;
    }

    @Override
    public List<String> beforeSwapSql(TableName base, TableName staging, List<String> keyColumns, String column,
                                      String value) {
        return List.of("CREATE UNIQUE INDEX IF NOT EXISTS " + id(stagingIndex(staging).name()) + " ON " + quoted(staging)
                + " (" + list("", keyColumns) + ", " + id(column) + ")");
    }

    @Override
    public List<String> swapSql(TableName base, TableName staging, List<String> keyColumns, List<String> columns,
                                String column, String value) {
        TableName partition = partitionTable(base, value);
        TableName index = partitionIndexName(partition);
        return List.of("DROP TABLE IF EXISTS " + quoted(partition),
                "ALTER TABLE " + quoted(staging) + " RENAME TO " + id(partition.name()),
                "ALTER TABLE " + quoted(partition) + " DROP CONSTRAINT " + id(stagingKey(staging).name()),
                "ALTER TABLE " + quoted(partition) + " ADD CONSTRAINT " + id(index.name()) + " PRIMARY KEY USING INDEX "
                        + id(stagingIndex(staging).name()),
                "ALTER TABLE " + quoted(base) + " ATTACH PARTITION " + quoted(partition) + " FOR VALUES IN ("
                        + literal(value) + ")");
    }

    private TableName partitionIndexName(TableName partition) {
        return sibling(partition, "_key");
    }

    /** A transaction-scoped advisory lock on the base table's name (the table may not exist yet). */
    @Override
    public Optional<String> exclusiveLockSql(TableName base) {
        return Optional.of("SELECT pg_advisory_xact_lock(hashtext(" + literal("ferry partitions " + quoted(base)) + "))");
    }

    @Override
    public String partitionExistsSql(TableName base, String column, String value) {
        return "SELECT 1 FROM pg_inherits WHERE inhparent = to_regclass(" + literal(quoted(base)) + ") AND inhrelid = "
                + "to_regclass(" + literal(quoted(partitionTable(base, value))) + ")";
    }
}
