package dev.ferry.connector.jdbc;

import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link PartitionSql} can say in standard SQL, for every database: the change log and its
 * insert ({@code ON CONFLICT … DO NOTHING}, which PostgreSQL and DuckDB share), the merge (a window
 * function picks each key's latest change), counts, drops, and names of the tables that belong to a
 * base table (shortened with a hash where the database limits the length of names). A database's
 * subclass adds how its base tables are partitioned and how a staging table becomes a partition.
 *
 * <p>Threading: immutable; safe to share.
 */
public abstract class StandardPartitionSql implements PartitionSql {

    private final SqlRenderer sql;
    private final TypeMapping types;

    /**
     * @param sql   the dialect's renderer, which quotes names and writes {@code CREATE TABLE}
     * @param types the dialect's mapping, which declares column types
     */
    protected StandardPartitionSql(SqlRenderer sql, TypeMapping types) {
        this.sql = Objects.requireNonNull(sql, "sql");
        this.types = Objects.requireNonNull(types, "types");
    }

    /** The dialect's renderer. */
    protected SqlRenderer sql() {
        return sql;
    }

    /** The dialect's type mapping. */
    protected TypeMapping types() {
        return types;
    }

    /** The longest name, in bytes, the database keeps whole. */
    protected int maxNameLength() {
        return Integer.MAX_VALUE;
    }

    /** The column type of the position order key, which must sort character by character. */
    protected String positionType() {
        return types.columnDefinition(Column.of(POSITION, DataType.STRING));
    }

    // ---------------------------------------------------------------- names

    /**
     * The table named the base's name plus {@code suffix}, in the base's schema; when that is
     * longer than the database keeps, the base's name is cut and a hash of the whole name keeps it
     * apart from others cut alike.
     */
    protected TableName sibling(TableName base, String suffix) {
        String whole = base.name() + suffix;
        if (bytes(whole) <= maxNameLength()) {
            return new TableName(base.schema(), whole);
        }
        String tail = "_" + String.format("%08x", whole.hashCode()) + suffix;
        StringBuilder head = new StringBuilder();
        for (int i = 0; i < base.name().length(); i = base.name().offsetByCodePoints(i, 1)) {
            String next = head + new String(Character.toChars(base.name().codePointAt(i)));
            if (bytes(next + tail) > maxNameLength()) {
                break;
            }
            head.setLength(0);
            head.append(next);
        }
        return new TableName(base.schema(), head + tail);
    }

    private static int bytes(String name) {
        return name.getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public TableName stagingTable(TableName base, String value, String purpose) {
        return sibling(base, "_" + value + "_" + purpose);
    }

    /** A string literal. */
    protected static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** The quoted table. */
    protected String quoted(TableName table) {
        return sql.quoteTable(table);
    }

    /** The quoted identifier. */
    protected String id(String identifier) {
        return sql.quoteIdentifier(identifier);
    }

    /** The quoted names joined by commas, each after {@code prefix} ({@code "b."} or empty). */
    protected String list(String prefix, List<String> names) {
        StringBuilder sb = new StringBuilder();
        for (String name : names) {
            sb.append(sb.isEmpty() ? "" : ", ").append(prefix).append(id(name));
        }
        return sb.toString();
    }

    /** The source's columns then the Business-Date column (text, not null), keyed on {@code key}. */
    protected static TableSchema withDateColumn(TableSchema source, String column, List<String> key) {
        List<Column> columns = new ArrayList<>(source.columns());
        columns.add(new Column(column, DataType.STRING, false, 0, 0, ""));
        return new TableSchema(source.name(), columns, key);
    }

    // ---------------------------------------------------------------- change log

    @Override
    public String createLogTableSql(TableName log, TableSchema source, String column) {
        StringBuilder sb = new StringBuilder("CREATE TABLE ").append(quoted(log)).append(" (")
                .append(id(KIND)).append(' ').append(types.columnDefinition(new Column(KIND, DataType.STRING, false, 1, 0, "")))
                .append(" NOT NULL, ").append(id(POSITION)).append(' ').append(positionType())
                .append(" NOT NULL, ").append(id(SEQUENCE)).append(' ').append(types.columnDefinition(Column.of(SEQUENCE,
                        DataType.INT64)))
                .append(" NOT NULL, ").append(id(COMMIT_TIME)).append(' ').append(types.columnDefinition(Column.of(
                        COMMIT_TIME, DataType.TIMESTAMPTZ)))
                .append(" NOT NULL, ").append(id(column)).append(' ').append(types.columnDefinition(Column.of(column,
                        DataType.STRING)))
                .append(" NOT NULL");
        for (Column c : source.columns()) {
            sb.append(", ").append(id(c.name())).append(' ').append(types.columnDefinition(c));
        }
        return sb.append(", PRIMARY KEY (").append(id(POSITION)).append(", ").append(id(SEQUENCE)).append("))").toString();
    }

    @Override
    public String logInsertSql(TableName log, List<String> columns, String column, int rows) {
        List<String> all = new ArrayList<>(List.of(KIND, POSITION, SEQUENCE, COMMIT_TIME, column));
        all.addAll(columns);
        String row = "(" + String.join(", ", java.util.Collections.nCopies(all.size(), "?")) + ")";
        return "INSERT INTO " + quoted(log) + " (" + list("", all) + ") VALUES "
                + String.join(", ", java.util.Collections.nCopies(rows, row))
                + " ON CONFLICT (" + id(POSITION) + ", " + id(SEQUENCE) + ") DO NOTHING";
    }

    // ---------------------------------------------------------------- merge and the rest

    @Override
    public String mergeSql(TableName base, TableName log, TableName staging, List<String> columns, List<String> keyColumns,
                           String column, String value, String previousValue) {
        StringBuilder keysMatch = new StringBuilder();
        for (String key : keyColumns) {
            keysMatch.append(" AND l.").append(id(key)).append(" = b.").append(id(key));
        }
        return "INSERT INTO " + quoted(staging) + " (" + list("", columns) + ", " + id(column) + ")"
                + " SELECT " + list("b.", columns) + ", " + literal(value) + " FROM " + quoted(base) + " b"
                + " WHERE b." + id(column) + " = " + literal(previousValue)
                + " AND NOT EXISTS (SELECT 1 FROM " + quoted(log) + " l WHERE l." + id(column) + " = " + literal(value)
                + keysMatch + ")"
                + " UNION ALL"
                + " SELECT " + list("latest.", columns) + ", " + literal(value) + " FROM (SELECT " + list("l.", columns)
                + ", l." + id(KIND) + ", ROW_NUMBER() OVER (PARTITION BY " + list("l.", keyColumns) + " ORDER BY l."
                + id(POSITION) + " DESC, l." + id(SEQUENCE) + " DESC) AS ferry_rank FROM " + quoted(log) + " l WHERE l."
                + id(column) + " = " + literal(value) + ") latest"
                + " WHERE latest.ferry_rank = 1 AND latest." + id(KIND) + " <> 'D'";
    }

    @Override
    public ShardLedgerSql shardLedgerSql(TableName ledger) {
        String table = quoted(ledger);
        return new ShardLedgerSql("CREATE TABLE IF NOT EXISTS " + table + " (staging_table VARCHAR(512) NOT NULL, "
                + "shard INTEGER NOT NULL, PRIMARY KEY (staging_table, shard))",
                "INSERT INTO " + table + " (staging_table, shard) VALUES (?, ?) ON CONFLICT DO NOTHING",
                "SELECT COUNT(*) FROM " + table + " WHERE staging_table = ?",
                "DELETE FROM " + table + " WHERE staging_table = ?");
    }

    @Override
    public String tableExistsSql() {
        return "SELECT 1 FROM information_schema.tables WHERE table_schema = COALESCE(?, current_schema()) "
                + "AND table_name = ?";
    }

    @Override
    public String countSql(TableName table, String column, String value) {
        return "SELECT COUNT(*) FROM " + quoted(table) + " WHERE " + id(column) + " = " + literal(value);
    }

    @Override
    public String dropTableSql(TableName table) {
        return "DROP TABLE IF EXISTS " + quoted(table);
    }
}
