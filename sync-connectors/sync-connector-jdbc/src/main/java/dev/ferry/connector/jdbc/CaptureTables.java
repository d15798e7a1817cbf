package dev.ferry.connector.jdbc;

import dev.ferry.api.change.TableId;
import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.config.ConfigType;
import dev.ferry.api.config.ConnectorConfig;
import dev.ferry.api.error.Violation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.TableSchema;
import java.util.function.Function;

/**
 * The keys every change-capture source shares: {@code tables} (qualified table names, patterns
 * and regular expressions, see {@link TablePattern}) and
 * {@code capture.startFrom} ({@code snapshot}, {@code latest} or a position of the source's own
 * form), declared and read in one place.
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
        String schema = example.substring(0, example.indexOf('.') + 1);
        return ConfigKey.required(TABLES, ConfigType.STRING_LIST, "Tables to capture, each " + qualifier
                + "-qualified (\"" + example + "\"), or patterns with * in the table part (\"" + schema + "*\"), or a "
                + "regular expression between slashes that matches whole table names (\"" + schema + "/orders_[0-9]+/\"); "
                + TablePattern.OWN_SCHEMA + " as the " + qualifier + " is the connection's own (\"" + TablePattern.OWN_SCHEMA
                + ".orders\"); each table needs a primary key.");
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

    /**
     * Reads {@code tables}, adding a violation for each entry that is not {@code qualifier.table},
     * holds an invalid regular expression, or repeats another.
     */
    public static List<TablePattern> tables(ConnectorConfig config, String qualifier, List<Violation> violations) {
        String key = config.path() + "." + TABLES;
        List<TablePattern> tables = new ArrayList<>();
        Set<TablePattern> seen = new HashSet<>();
        List<String> texts = config.getStringList(TABLES);
        for (String text : texts) {
            try {
                TablePattern rule = TablePattern.parse(text);
                if (!seen.add(rule)) {
                    violations.add(new Violation(key, "must name each table once", "'" + text + "'"));
                }
                tables.add(rule);
            } catch (IllegalArgumentException e) {
                violations.add(TablePattern.refusal(key, "'" + text + "'", "must name each table as " + qualifier
                        + ".table", e));
            }
        }
        if (texts.isEmpty()) {
            violations.add(new Violation(key, "must name at least one table", "[]"));
        }
        return tables;
    }

    /**
     * The tables {@code rules} select: a table as named, a pattern or regular expression expanded
     * to the base tables of its schema whose names it matches, in name order; {@code ~} is the
     * schema {@link Dialect#currentSchema} gives. A table selected twice is kept once. A pattern
     * that matches nothing, and {@code ~} on a connection without a current schema, are violations
     * of {@code key}.
     */
    public static List<TableId> expand(Connection connection, Dialect dialect, List<TablePattern> rules, String key,
                                       List<Violation> violations) throws SQLException {
        return expand(connection, dialect, rules, key, violations, List::of);
    }

    /**
     * As {@link #expand(Connection, Dialect, List, String, List)}, trying a pattern's schema and
     * {@code *} pattern in every spelling {@code spellings} gives (a database that stores unquoted
     * names in upper case finds {@code public.order_*} as {@code PUBLIC.ORDER_*}); the first spelling
     * that matches a table wins. Regular expressions are taken as written.
     */
    public static List<TableId> expand(Connection connection, Dialect dialect, List<TablePattern> rules, String key,
                                       List<Violation> violations, Function<String, List<String>> spellings)
            throws SQLException {
        Set<TableId> tables = new LinkedHashSet<>();
        String own = null;
        for (TablePattern rule : rules) {
            String schema = rule.schema();
            if (schema == null) {
                own = own != null ? own : dialect.currentSchema(connection);
                if (own == null) {
                    violations.add(new Violation(key, "can use " + TablePattern.OWN_SCHEMA + " only on a connection "
                            + "with a current schema or database (name it in the URL, or write the schema)",
                            "'" + rule + "'"));
                    continue;
                }
                schema = own;
            }
            if (rule.isTable()) {
                tables.add(new TableId(schema, rule.table()));
                continue;
            }
            int matches = 0;
            for (TablePattern spelled : spelledPatterns(rule, schema, spellings)) {
                matches = matching(connection, spelled, tables);
                if (matches > 0) {
                    break;
                }
            }
            if (matches == 0) {
                violations.add(new Violation(key, "must match at least one table; pattern " + rule + " matches none"
                        + (rule.schema() == null ? " in " + schema : ""), "'" + rule + "'"));
            }
        }
        return new ArrayList<>(tables);
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

    /** The rule in each spelling of its schema and, for a {@code *} pattern, of its table part. */
    private static List<TablePattern> spelledPatterns(TablePattern rule, String schema,
                                                      Function<String, List<String>> spellings) {
        List<TablePattern> spelled = new ArrayList<>();
        boolean regex = rule.isRegex();
        for (String s : spellings.apply(schema)) {
            for (String t : regex ? List.of("/" + rule.table() + "/") : spellings.apply(rule.table())) {
                try {
                    spelled.add(TablePattern.parse(s + "." + t));
                } catch (IllegalArgumentException e) {
                    // a spelling that is no pattern any more is not tried
                }
            }
        }
        return spelled;
    }

    /** Adds the base tables of the pattern's schema that it matches; returns how many matched. */
    private static int matching(Connection connection, TablePattern pattern, Set<TableId> tables) throws SQLException {
        int matches = 0;
        try (PreparedStatement ps = connection.prepareStatement("SELECT table_name FROM information_schema.tables "
                + "WHERE table_schema = ? AND table_type = 'BASE TABLE' AND table_name LIKE ? ESCAPE '!' "
                + "ORDER BY table_name")) {
            ps.setString(1, pattern.schema());
            ps.setString(2, pattern.like());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    if (pattern.matchesName(name)) {
                        tables.add(new TableId(pattern.schema(), name));
                        matches++;
                    }
                }
            }
        }
        return matches;
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
