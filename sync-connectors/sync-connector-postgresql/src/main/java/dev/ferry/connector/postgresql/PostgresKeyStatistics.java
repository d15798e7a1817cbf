package dev.ferry.connector.postgresql;

import dev.ferry.connector.jdbc.KeyEstimates;
import dev.ferry.connector.jdbc.KeySample;
import dev.ferry.connector.jdbc.SplitColumn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * PostgreSQL's estimates for split planning: the split column's {@code pg_stats.histogram_bounds}
 * (from the last {@code ANALYZE}) as hints, and a fresh {@code TABLESAMPLE SYSTEM} sample of a
 * fixed number of blocks, whatever the table's size, to measure every interval with.
 *
 * <h2>Design note: the histogram proposes, the sample decides</h2>
 * The histogram costs nothing to read but may be stale (a table grown tenfold since its last
 * {@code ANALYZE} has all its new keys past the last bound) or missing (never analysed). A block
 * sample reads {@link #blocks} pages of the table as it is now, so intervals are measured against
 * the current rows, including those of the job's {@code where} and snapshot. Its cost is set by the
 * number of splits, not the table: {@value #BLOCKS_PER_SPLIT} blocks per wanted split, between
 * {@value #MIN_BLOCKS} and {@value #MAX_BLOCKS} (16 to 128 MiB of 8 KiB pages). Sampling whole blocks
 * rather than rows ({@code BERNOULLI} reads every page) keeps physically adjacent keys together,
 * which is why each wanted split gets {@value #BLOCKS_PER_SPLIT} blocks: a range is measured by
 * dozens of blocks, not by one run of adjacent keys. {@code REPEATABLE (0)} makes one table
 * state give one plan. Blocks expected (by {@code pg_class}) to hold more than {@value #MAX_KEYS}
 * keys send only the keys whose {@code hashint8} falls in the matching share, so the transfer stays
 * at about that many keys: adjacent keys in a block say little more than a share of them. Only
 * ordinary tables and materialised views are sampled; for others (views, partitioned parents,
 * foreign tables) the planner walks.
 *
 * <p>Threading: stateless; called on the planning thread, inside its transaction. Every statement
 * here succeeds on any existing table, so a snapshot transaction is never aborted by it.
 */
final class PostgresKeyStatistics {

    static final int BLOCKS_PER_SPLIT = 64;
    static final int MIN_BLOCKS = 2048;
    static final int MAX_BLOCKS = 16_384;
    /** The most sampled keys kept in memory (2 MiB); more are thinned by reservoir sampling. */
    static final int MAX_KEYS = 262_144;
    private static final int FETCH_SIZE = 10_000;
    private static final long MILLION = 1_000_000;

    private PostgresKeyStatistics() {
    }

    static Optional<KeyEstimates> keyEstimates(Connection connection, SplitColumn column, int splitCount)
            throws SQLException {
        long pages;
        double rowsPerPage;
        try (PreparedStatement statement = connection.prepareStatement("SELECT c.relkind, "
                + "pg_relation_size(c.oid) / current_setting('block_size')::bigint, "
                + "CASE WHEN c.relpages > 0 AND c.reltuples > 0 THEN c.reltuples / c.relpages END "
                + "FROM pg_class c WHERE c.oid = to_regclass(?)")) {
            statement.setString(1, column.quotedTable());
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next() || !("r".equals(rs.getString(1)) || "m".equals(rs.getString(1)))) {
                    return Optional.empty();
                }
                pages = rs.getLong(2);
                rowsPerPage = rs.getDouble(3);
            }
        }
        if (pages <= 0) {
            return Optional.empty();
        }
        List<Long> hints = histogram(connection, column);
        long blocks = blocks(splitCount);
        double percent = Math.min(100.0, 100.0 * blocks / pages);
        long keep = keptPerMillion(Math.min(blocks, pages) * rowsPerPage);
        String sql = "SELECT " + column.quotedColumn() + " FROM " + column.quotedTable() + " TABLESAMPLE SYSTEM ("
                + String.format(Locale.ROOT, "%.6f", percent) + ") REPEATABLE (0) WHERE " + column.quotedColumn()
                + " IS NOT NULL" + (keep < MILLION ? " AND abs(hashint8(" + column.quotedColumn() + ") % " + MILLION
                + ") < " + keep : "") + (column.where() == null ? "" : " AND (" + column.where() + ")");
        KeySample.Builder sample = KeySample.builder(MAX_KEYS);
        boolean autoCommit = connection.getAutoCommit();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            // pgjdbc streams with a cursor only inside a transaction.
            connection.setAutoCommit(false);
            statement.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    sample.add(rs.getLong(1));
                }
            }
        } finally {
            if (autoCommit) {
                connection.commit();
                connection.setAutoCommit(true);
            }
        }
        if (sample.seen() == 0) {
            return Optional.empty();
        }
        String source = String.format(Locale.ROOT, "%s and a %.3f%% block sample (%,d keys)",
                hints.isEmpty() ? "no histogram" : "a histogram of " + hints.size() + " bounds", percent, sample.seen());
        return Optional.of(sample.build(percent / 100.0 * keep / MILLION, hints, source));
    }

    /**
     * Of every million keys in the sampled blocks, how many to send: all when the blocks are
     * expected to hold at most {@link #MAX_KEYS}, fewer otherwise (at least 1).
     *
     * @param expectedRows the rows the sampled blocks are expected to hold (0 when unknown)
     */
    static long keptPerMillion(double expectedRows) {
        if (!(expectedRows > MAX_KEYS)) {
            return MILLION;
        }
        return Math.max(1, (long) Math.ceil(MILLION * MAX_KEYS / expectedRows));
    }

    /** Blocks sampled for {@code splitCount} splits. */
    static long blocks(int splitCount) {
        return Math.max(MIN_BLOCKS, Math.min(MAX_BLOCKS, (long) BLOCKS_PER_SPLIT * splitCount));
    }

    /** The column's histogram bounds from the last ANALYZE, or empty. */
    private static List<Long> histogram(Connection connection, SplitColumn column) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT s.histogram_bounds::text FROM pg_stats s "
                + "JOIN pg_class c ON c.relname = s.tablename JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "AND n.nspname = s.schemaname WHERE c.oid = to_regclass(?) AND s.attname = ? AND NOT s.inherited")) {
            statement.setString(1, column.quotedTable());
            statement.setString(2, column.column());
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? parseBounds(rs.getString(1)) : List.of();
            }
        }
    }

    /**
     * The integers of an array's text form ({@code {1,5,9}}), or empty when it is null or holds
     * anything else.
     */
    static List<Long> parseBounds(String text) {
        if (text == null || text.length() < 2 || text.charAt(0) != '{' || text.charAt(text.length() - 1) != '}') {
            return List.of();
        }
        String body = text.substring(1, text.length() - 1).trim();
        if (body.isEmpty()) {
            return List.of();
        }
        List<Long> bounds = new ArrayList<>();
        for (String part : body.split(",")) {
            try {
                bounds.add(Long.parseLong(part.trim()));
            } catch (NumberFormatException e) {
                return List.of();
            }
        }
        return bounds;
    }
}
