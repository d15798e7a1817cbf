package dev.ferry.connector.mariadb;

import dev.ferry.connector.jdbc.KeyEstimates;
import dev.ferry.connector.jdbc.SplitColumn;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MariaDB's (and MySQL's) estimates for split planning: the storage engine's index dives, read
 * from {@code EXPLAIN}'s {@code rows} for a range of the split column's index, and, as hints, the
 * column's histogram in {@code mysql.column_stats} when one was collected.
 *
 * <h2>Design note: index dives measure, histograms only propose</h2>
 * An index dive descends the index to both ends of a key range and counts (or, for a range wider
 * than a few pages, extrapolates) the entries between them: two B-tree descents, whatever the
 * table's size, and always about the table as it is now. InnoDB reports ranges of more than a few
 * pages about twice too large and caps any range at half the table; both cancel out, because the
 * planner compares intervals of about the same size. Histograms exist only after
 * {@code ANALYZE TABLE … PERSISTENT FOR COLUMNS (…)} and never for a column that alone forms a
 * unique index (the usual split column): {@code JSON_HB} gives its buckets' start keys,
 * {@code DOUBLE_PREC_HB} and {@code SINGLE_PREC_HB} fractions of the span between
 * {@code min_value} and {@code max_value}. A job's {@code where} is invisible to index dives, so
 * with one the planner walks.
 *
 * <p>Threading: the estimates are used on the planning thread and connection only.
 */
final class MariaDbKeyStatistics {

    private static final Pattern JSON_START = Pattern.compile("\"start\"\\s*:\\s*\"(-?\\d+)\"");

    private MariaDbKeyStatistics() {
    }

    static Optional<KeyEstimates> keyEstimates(Connection connection, SplitColumn column) throws SQLException {
        if (column.where() != null) {
            return Optional.empty();
        }
        String index = null;
        try (PreparedStatement statement = connection.prepareStatement("SELECT INDEX_NAME FROM information_schema.STATISTICS "
                + "WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? AND COLUMN_NAME = ? AND SEQ_IN_INDEX = 1 "
                + "ORDER BY INDEX_NAME = 'PRIMARY' DESC, NON_UNIQUE, INDEX_NAME LIMIT 1")) {
            statement.setString(1, column.table().schema());
            statement.setString(2, column.table().name());
            statement.setString(3, column.column());
            try (ResultSet rs = statement.executeQuery()) {
                if (rs.next()) {
                    index = rs.getString(1);
                }
            }
        }
        if (index == null) {
            return Optional.empty();
        }
        List<Long> hints = histogram(connection, column);
        String explain = "EXPLAIN SELECT 1 FROM " + column.quotedTable() + " FORCE INDEX (`" + index.replace("`", "``")
                + "`) WHERE " + column.quotedColumn() + " BETWEEN ";
        String source = (hints.isEmpty() ? "no histogram" : "a histogram of " + hints.size() + " bounds")
                + " and index dives on " + index;
        return Optional.of(new IndexDives(connection, explain, hints, source));
    }

    /** The column's histogram's bucket starts, or empty when there is none or it cannot be read. */
    private static List<Long> histogram(Connection connection, SplitColumn column) {
        try (PreparedStatement statement = connection.prepareStatement("SELECT hist_type, histogram, min_value, max_value "
                + "FROM mysql.column_stats WHERE db_name = COALESCE(?, DATABASE()) AND table_name = ? AND column_name = ?")) {
            statement.setString(1, column.table().schema());
            statement.setString(2, column.table().name());
            statement.setString(3, column.column());
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? decodeHistogram(rs.getString(1), rs.getBytes(2), rs.getString(3), rs.getString(4))
                        : List.of();
            }
        } catch (SQLException e) {
            // No right to read mysql.column_stats: plan without hints.
            return List.of();
        }
    }

    /**
     * Bucket starts of a histogram as {@code mysql.column_stats} keeps it, ascending; empty for an
     * unknown type or a column that is not an integer.
     */
    static List<Long> decodeHistogram(String type, byte[] histogram, String minValue, String maxValue) {
        if (type == null || histogram == null) {
            return List.of();
        }
        List<Long> starts = new ArrayList<>();
        try {
            if (type.equals("JSON_HB")) {
                Matcher matcher = JSON_START.matcher(new String(histogram, StandardCharsets.UTF_8));
                while (matcher.find()) {
                    starts.add(Long.parseLong(matcher.group(1)));
                }
                return starts;
            }
            int width = type.equals("DOUBLE_PREC_HB") ? 2 : type.equals("SINGLE_PREC_HB") ? 1 : 0;
            if (width == 0 || minValue == null || maxValue == null) {
                return List.of();
            }
            double min = Long.parseLong(minValue.trim());
            double span = Long.parseLong(maxValue.trim()) - min;
            double scale = width == 2 ? 65535.0 : 255.0;
            for (int i = 0; i + width <= histogram.length; i += width) {
                int value = width == 2 ? (histogram[i] & 0xff) | (histogram[i + 1] & 0xff) << 8 : histogram[i] & 0xff;
                starts.add(Math.round(min + span * value / scale));
            }
            return starts;
        } catch (NumberFormatException e) {
            return List.of();
        }
    }

    /** Estimates from {@code EXPLAIN}'s {@code rows}. */
    private static final class IndexDives implements KeyEstimates {

        private final Connection connection;
        private final String explain;
        private final List<Long> hints;
        private final String source;

        IndexDives(Connection connection, String explain, List<Long> hints, String source) {
            this.connection = connection;
            this.explain = explain;
            this.hints = List.copyOf(hints);
            this.source = source;
        }

        @Override
        public List<Long> hints() {
            return hints;
        }

        @Override
        public double rows(long lowest, long highest) throws SQLException {
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery(explain + lowest + " AND " + highest)) {
                if (!rs.next()) {
                    return 0;
                }
                long rows = rs.getLong("rows");
                // "Impossible WHERE" and empty ranges leave rows NULL.
                return rs.wasNull() ? 0 : rows;
            }
        }

        @Override
        public String source() {
            return source;
        }
    }
}
