package dev.ferry.connector.mariadb.capture;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventMetadata;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.RecordSink;
import dev.ferry.api.data.TableSchema;
import dev.ferry.connector.jdbc.TableName;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A captured table: every column in binlog order with its {@link BinlogColumnType}, and the Ferry
 * schema the batch reader gives the same table ({@code SELECT *}: invisible columns are in row
 * events but not in the schema).
 *
 * @param schema  the Ferry schema: visible columns in order, and the primary key
 * @param columns every column in the order of row events (ORDINAL_POSITION), invisible ones included
 */
public record BinlogTable(TableSchema schema, List<BinlogColumnType> columns) {

    public BinlogTable {
        Objects.requireNonNull(schema, "schema");
        columns = List.copyOf(columns);
    }

    /**
     * Describes a table from {@code information_schema} (COLUMNS, KEY_COLUMN_USAGE, and on MariaDB
     * CHECK_CONSTRAINTS to tell its JSON columns).
     *
     * @param table the table; without a schema, the connection's current database
     * @throws IllegalArgumentException when the table does not exist or has a column type or charset
     *         binlog capture does not decode (the message names it)
     */
    public static BinlogTable read(Connection connection, TableName table) throws SQLException {
        String database = table.schema() != null ? table.schema() : connection.getCatalog();
        String label = table.toString();
        boolean mariadb;
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT @@version, @@version_comment")) {
            rs.next();
            mariadb = BinlogSettings.flavourOf(rs.getString(1), rs.getString(2)) == BinlogSettings.Flavour.MARIADB;
        }
        Set<String> jsonColumns = mariadb ? jsonColumns(connection, database, table.name()) : Set.of();
        List<BinlogColumnType> columns = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT COLUMN_NAME, ORDINAL_POSITION, "
                + "DATA_TYPE, COLUMN_TYPE, NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION, CHARACTER_MAXIMUM_LENGTH, "
                + "CHARACTER_SET_NAME, IS_NULLABLE, EXTRA FROM information_schema.COLUMNS "
                + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            statement.setString(1, database);
            statement.setString(2, table.name());
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    String dataType = rs.getString(3).toLowerCase(Locale.ROOT);
                    String extra = rs.getString(11) == null ? "" : rs.getString(11).toUpperCase(Locale.ROOT);
                    boolean json = dataType.equals("json") || dataType.endsWith("text") && jsonColumns.contains(name);
                    columns.add(BinlogColumnType.of(label, new BinlogColumnType.Metadata(name, rs.getInt(2), dataType,
                            rs.getString(4), longOrNull(rs, 5), longOrNull(rs, 6), longOrNull(rs, 7),
                            longOrNull(rs, 8), rs.getString(9), "YES".equalsIgnoreCase(rs.getString(10)),
                            extra.contains("INVISIBLE"), json)));
                }
            }
        }
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("table " + label + " does not exist in database " + database
                    + " (information_schema.COLUMNS has no column for it)");
        }
        List<String> primaryKey = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT COLUMN_NAME FROM "
                + "information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? "
                + "AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION")) {
            statement.setString(1, database);
            statement.setString(2, table.name());
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    primaryKey.add(rs.getString(1));
                }
            }
        }
        return of(label, columns, primaryKey);
    }

    /**
     * A table from its column types (binlog order) and primary key. The schema leaves invisible
     * columns out, and has no primary key when the key has an invisible column (as the batch reader).
     */
    public static BinlogTable of(String name, List<BinlogColumnType> columns, List<String> primaryKey) {
        List<Column> visible = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (BinlogColumnType column : columns) {
            if (!column.metadata().invisible()) {
                visible.add(column.column());
                names.add(column.column().name());
            }
        }
        List<String> key = names.containsAll(primaryKey) ? primaryKey : List.of();
        return new BinlogTable(new TableSchema(name, visible, key), columns);
    }

    /**
     * Sets every schema column of one row image from a row event ({@code WriteRowsEventData.getRows()},
     * either side of an update, a deleted row); does not emit.
     *
     * @param row the values in binlog order, one per column (binlog_row_image=FULL)
     * @throws IllegalArgumentException when the row does not have one value per column: the table
     *         changed since it was described, or the server logs partial row images
     * @throws BinlogValueException when a value has no Ferry representation
     */
    public void set(RecordSink sink, Serializable[] row) {
        if (row.length != columns.size()) {
            throw new IllegalArgumentException("row of " + schema.name() + " has " + row.length + " values but the table "
                    + "has " + columns.size() + " columns: it changed since it was described, or binlog_row_image "
                    + "is not FULL");
        }
        int index = 0;
        for (int i = 0; i < row.length; i++) {
            BinlogColumnType column = columns.get(i);
            if (!column.metadata().invisible()) {
                column.set(sink, index++, row[i]);
            }
        }
    }

    /**
     * Whether a table map event still describes this table: the same number of columns with the
     * same names in the same order (names need {@code binlog_row_metadata=FULL}). A table altered
     * since it was described gives row events this table cannot convert.
     *
     * @return null when they agree, otherwise what differs
     */
    public String mismatch(TableMapEventData map) {
        int count = map.getColumnTypes() == null ? 0 : map.getColumnTypes().length;
        if (count != columns.size()) {
            return "table map of " + map.getDatabase() + "." + map.getTable() + " has " + count + " columns, "
                    + schema.name() + " was described with " + columns.size();
        }
        TableMapEventMetadata metadata = map.getEventMetadata();
        List<String> names = metadata == null ? null : metadata.getColumnNames();
        if (names == null || names.isEmpty()) {
            return "table map of " + map.getDatabase() + "." + map.getTable() + " has no column names "
                    + "(binlog_row_metadata is not FULL)";
        }
        for (int i = 0; i < count; i++) {
            String described = columns.get(i).metadata().name();
            if (!described.equals(names.get(i))) {
                return "column " + (i + 1) + " of " + map.getDatabase() + "." + map.getTable() + " is '" + names.get(i)
                        + "' in the table map, '" + described + "' in the description of " + schema.name();
            }
        }
        return null;
    }

    /**
     * The names of MariaDB text columns with a column-level check constraint that is
     * {@code json_valid(`c`)} or an AND of conditions including it: what MariaDB's JSON type is, and
     * what the server then describes to clients as JSON.
     */
    static Set<String> jsonColumns(Connection connection, String database, String table) throws SQLException {
        Set<String> result = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT CONSTRAINT_NAME, CHECK_CLAUSE FROM "
                + "information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ? AND LEVEL = 'Column'")) {
            statement.setString(1, database);
            statement.setString(2, table);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    if (isJsonCheck(rs.getString(1), rs.getString(2))) {
                        result.add(rs.getString(1));
                    }
                }
            }
        }
        return result;
    }

    /** Whether the check clause is {@code json_valid(`column`)}, possibly ANDed with other conditions. */
    static boolean isJsonCheck(String column, String clause) {
        String target = "json_valid(`" + column.replace("`", "``") + "`)";
        for (String conjunct : conjuncts(clause)) {
            String part = conjunct.strip();
            if (part.equalsIgnoreCase(target)) {
                return true;
            }
            if (part.startsWith("(") && part.endsWith(")") && closes(part) && isJsonCheck(column, part.substring(1, part.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    /** The parts of a clause separated by a top-level AND. */
    private static List<String> conjuncts(String clause) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i < clause.length(); i++) {
            char c = clause.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote != '`') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"' || c == '`') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (depth == 0 && clause.regionMatches(true, i, " and ", 0, 5)) {
                parts.add(clause.substring(start, i));
                start = i + 5;
                i += 4;
            }
        }
        parts.add(clause.substring(start));
        return parts;
    }

    /** Whether the opening parenthesis at 0 is closed by the last character. */
    private static boolean closes(String text) {
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote != '`') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"' || c == '`') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i == text.length() - 1;
            }
        }
        return false;
    }

    private static Long longOrNull(ResultSet rs, int index) throws SQLException {
        long value = rs.getLong(index);
        return rs.wasNull() ? null : value;
    }
}
