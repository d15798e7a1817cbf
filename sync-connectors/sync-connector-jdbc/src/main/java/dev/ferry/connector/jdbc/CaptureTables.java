package dev.ferry.connector.jdbc;

import dev.ferry.api.change.TableId;
import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.config.ConfigType;
import dev.ferry.api.config.ConnectorConfig;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.Violation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The keys every change-capture source shares: {@code tables} (qualified table names) and
 * {@code capture.startFrom} ({@code snapshot}, {@code latest} or a position of the source's own
 * form), declared and read in one place; with the look-ups they need (patterns expanded to tables,
 * a captured table's schema).
 */
public final class CaptureTables {

    public static final String TABLES = "tables";
    public static final String START_FROM = "capture.startFrom";
    public static final String START_SNAPSHOT = "snapshot";
    public static final String START_LATEST = "latest";
    public static final String SPLIT_PK = "capture.splitPk";

    private CaptureTables() {
    }

    /**
     * @param qualifier what qualifies a table name on this source ({@code "schema"}, {@code "database"})
     * @param example   a qualified table name for the description
     */
    public static ConfigKey tablesKey(String qualifier, String example) {
        return ConfigKey.required(TABLES, ConfigType.STRING_LIST, "Tables to capture, each " + qualifier
                + "-qualified (\"" + example + "\"), or patterns with * in the table part (\"" + example.substring(0,
                example.indexOf('.') + 1) + "*\"); each table needs a primary key.");
    }

    /** The {@code capture.splitPk} key: the column each named table's copy is split by. */
    public static ConfigKey splitPkKey() {
        return ConfigKey.optional(SPLIT_PK, ConfigType.STRING_LIST, null, "The column a table's copy is split by, each "
                + "\"schema.table=column\" (an integer column); tables not named split by their primary key when it "
                + "is one integer column, else are copied as one split.");
    }

    /** Reads {@code capture.splitPk}: table to column, a violation for each entry not written schema.table=column. */
    public static java.util.Map<TableId, String> splitPks(ConnectorConfig config, List<Violation> violations) {
        java.util.Map<TableId, String> columns = new java.util.LinkedHashMap<>();
        List<String> entries = config.getStringList(SPLIT_PK);
        String key = config.path() + "." + SPLIT_PK;
        for (String entry : entries == null ? List.<String>of() : entries) {
            int eq = entry.lastIndexOf('=');
            try {
                if (eq <= 0 || eq == entry.length() - 1) {
                    throw new IllegalArgumentException("entries must be written schema.table=column");
                }
                TableId table = TableId.parse(entry.substring(0, eq).strip());
                if (columns.put(table, entry.substring(eq + 1).strip()) != null) {
                    violations.add(new Violation(key, "must name each table once", "'" + entry + "'"));
                }
            } catch (IllegalArgumentException e) {
                violations.add(new Violation(key, e.getMessage(), "'" + entry + "'"));
            }
        }
        return columns;
    }

    /** @param positionExample a position of this source, for the description */
    public static ConfigKey startFromKey(String positionExample) {
        return ConfigKey.optional(START_FROM, ConfigType.STRING, START_SNAPSHOT, "Where a new stream starts: snapshot "
                + "(copy the tables, then stream from that point), latest (only changes from now on), or a position "
                + "such as " + positionExample + ".");
    }

    /** Reads {@code tables}, adding a violation for each unqualified or repeated name. */
    public static List<TableId> tables(ConnectorConfig config, String qualifier, List<Violation> violations) {
        String key = config.path() + "." + TABLES;
        List<TableId> tables = new ArrayList<>();
        Set<TableId> seen = new LinkedHashSet<>();
        List<String> texts = config.getStringList(TABLES);
        for (String text : texts) {
            try {
                TableId id = TableId.parse(text.strip());
                if (!seen.add(id)) {
                    violations.add(new Violation(key, "must name each table once", "'" + text + "'"));
                }
                tables.add(id);
            } catch (IllegalArgumentException e) {
                violations.add(new Violation(key, "must name each table as " + qualifier + ".table", "'" + text + "'"));
            }
        }
        if (texts.isEmpty()) {
            violations.add(new Violation(key, "must name at least one table", "[]"));
        }
        return tables;
    }

    /**
     * The tables {@code rules} name, with each pattern ({@code *} in the table part, e.g.
     * {@code inventory.*} or {@code shop.order_*}) expanded to the base tables of its schema that
     * match it, in name order; a table named twice is kept once. A pattern that matches nothing is a
     * violation of {@code key}.
     */
    public static List<TableId> expand(Connection connection, List<TableId> rules, String key, List<Violation> violations)
            throws SQLException {
        return expand(connection, rules, key, violations, List::of);
    }

    /**
     * As {@link #expand(Connection, List, String, List)}, trying each pattern in every spelling
     * {@code spellings} gives for its schema and its table part (a database that stores unquoted
     * names in upper case finds {@code public.order_*} as {@code PUBLIC.ORDER_*}); the first spelling
     * that matches a table wins.
     */
    public static List<TableId> expand(Connection connection, List<TableId> rules, String key, List<Violation> violations,
                                       Function<String, List<String>> spellings) throws SQLException {
        Set<TableId> tables = new LinkedHashSet<>();
        for (TableId rule : rules) {
            if (rule.name().indexOf('*') < 0) {
                tables.add(rule);
                continue;
            }
            List<TableId> matched = List.of();
            for (String schema : spellings.apply(rule.schema())) {
                for (String name : spellings.apply(rule.name())) {
                    if (matched.isEmpty()) {
                        matched = matching(connection, new TableId(schema, name));
                    }
                }
            }
            if (matched.isEmpty()) {
                violations.add(new Violation(key, "must match at least one table; pattern " + rule + " matches none",
                        "'" + rule + "'"));
            }
            tables.addAll(matched);
        }
        return new ArrayList<>(tables);
    }

    private static List<TableId> matching(Connection connection, TableId pattern) throws SQLException {
        String like = pattern.name().replace("!", "!!").replace("%", "!%").replace("_", "!_").replace('*', '%');
        List<TableId> tables = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT table_name FROM information_schema.tables "
                + "WHERE table_schema = ? AND table_type = 'BASE TABLE' AND table_name LIKE ? ESCAPE '!' "
                + "ORDER BY table_name")) {
            ps.setString(1, pattern.schema());
            ps.setString(2, like);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(new TableId(pattern.schema(), rs.getString(1)));
                }
            }
        }
        return tables;
    }

    /**
     * The schema a captured table's changes and copy carry: its columns as the batch reader
     * describes them, named {@code schema.table}, with the key columns marked not null (a key
     * column is never null, whatever the driver says).
     */
    public static TableSchema schema(TableId id, ResolvedTable table, List<String> primaryKey) {
        List<Column> columns = new ArrayList<>();
        for (DbColumn column : table.columns()) {
            Column col = column.column();
            columns.add(primaryKey.contains(col.name()) ? new Column(col.name(), col.type(), false, col.precision(),
                    col.scale(), col.nativeType()) : col);
        }
        return new TableSchema(id.toString(), columns, primaryKey);
    }

    /**
     * Reads {@code capture.startFrom}; a position must be one {@code parsePosition} accepts, else a
     * violation naming {@code example}.
     */
    public static String startFrom(ConnectorConfig config, java.util.function.Consumer<String> parsePosition,
                                   String example, List<Violation> violations) {
        String start = config.getString(START_FROM);
        if (isPosition(start)) {
            try {
                parsePosition.accept(start);
            } catch (IllegalArgumentException e) {
                violations.add(new Violation(config.path() + "." + START_FROM, "must be snapshot, latest or a position "
                        + "such as " + example, "'" + start + "'"));
            }
        }
        return start;
    }

    /** The {@code fetchSize} key of a capture source: rows per round trip while copying the snapshot. */
    public static ConfigKey fetchSizeKey() {
        return ConfigKey.optional(JdbcKeys.FETCH_SIZE, ConfigType.INT, JdbcKeys.DEFAULT_FETCH_SIZE,
                "Rows fetched per round trip while copying the snapshot.");
    }

    /** Reads {@code fetchSize}, adding a violation when it is below 1. */
    public static int fetchSize(ConnectorConfig config, List<Violation> violations) {
        int fetchSize = config.getInt(JdbcKeys.FETCH_SIZE);
        if (fetchSize < 1) {
            violations.add(new Violation(config.path() + "." + JdbcKeys.FETCH_SIZE, "must be >= 1",
                    Integer.toString(fetchSize)));
        }
        return fetchSize;
    }

    /** Whether {@code startFrom} names a position rather than {@code snapshot} or {@code latest}. */
    public static boolean isPosition(String startFrom) {
        return !startFrom.equals(START_SNAPSHOT) && !startFrom.equals(START_LATEST);
    }
}
