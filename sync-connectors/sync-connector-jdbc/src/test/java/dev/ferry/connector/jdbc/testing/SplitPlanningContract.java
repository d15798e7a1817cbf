package dev.ferry.connector.jdbc.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.connector.jdbc.JdbcSplit;
import dev.ferry.connector.jdbc.SplitColumn;
import dev.ferry.connector.jdbc.SplitPlanner;
import dev.ferry.connector.jdbc.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Split planning from a database's statistics, run against each database that offers them by a
 * subclass: statistics present, stale (the table grown tenfold since they were taken), missing;
 * keys clustered with gaps; NULL keys. Every plan must cover every row exactly once (contiguous
 * half-open ranges, counted with each split's own predicate) and keep the largest key range within
 * twice the mean. The planner is told to use its estimates from 1,000 rows on, so that tables of a
 * few hundred thousand rows exercise the path that large tables take.
 */
public abstract class SplitPlanningContract extends JdbcContract {

    /** Rows of the clustered tables. */
    protected static final int ROWS = 200_000;

    /** A SELECT returning one BIGINT column {@code n} with the values from..to. */
    protected abstract String series(long from, long to);

    /** DDL that follows a CREATE TABLE's column list so the database never gathers statistics by itself. */
    protected abstract String noAutomaticStatistics();

    /** Statements that gather the statistics of {@code column} of {@code quotedTable}. */
    protected abstract String[] analyze(String quotedTable, String column);

    /** Whether {@code analyze} gives a non-unique column a histogram the planner reads as hints. */
    protected abstract boolean histogramsOnNonUniqueColumns();

    /**
     * A table {@code (id BIGINT PRIMARY KEY, k BIGINT, pad VARCHAR(200))} with an index on {@code k}:
     * {@code rows} rows whose {@code k} is NULL for every 20th row, dense 1..0.9 n for most and spread
     * 10^7 apart past 10^9 for the rest (90% of the rows in a thousandth of the span, with gaps). The
     * padding makes {@value #ROWS} rows span more pages than a sample reads.
     */
    protected String clustered(String prefix, long firstId, int rows) {
        String name = TestDatabase.uniqueName(prefix);
        String table = dialect().sql().quoteIdentifier(name);
        tables.add(table);
        database().execute("DROP TABLE IF EXISTS " + table,
                "CREATE TABLE " + table + " (id BIGINT NOT NULL PRIMARY KEY, k BIGINT, pad VARCHAR(200))"
                        + noAutomaticStatistics(),
                "CREATE INDEX " + dialect().sql().quoteIdentifier(name + "_k") + " ON " + table + " (k)");
        insertClustered(table, firstId, rows);
        return name;
    }

    protected void insertClustered(String table, long firstId, int rows) {
        long dense = rows / 10L * 9;
        database().execute("INSERT INTO " + table + " (id, k, pad) SELECT n, CASE WHEN MOD(n, 20) = 0 THEN NULL "
                + "WHEN n - " + firstId + " < " + dense + " THEN n ELSE 1000000000 + n * 10000000 END, RPAD('x', 200, 'x') FROM ("
                + series(firstId, firstId + rows - 1) + ") s");
    }

    protected SplitPlanner.Plan plan(String name, String column, String where, int splitCount, long walkBelowRows)
            throws SQLException {
        SplitColumn split = SplitColumn.of(dialect().sql(), new TableName(null, name), column, where);
        SplitPlanner planner = new SplitPlanner(dialect(), name, split).walkingBelow(walkBelowRows);
        try (Connection connection = database().connect()) {
            dialect().beginRead(connection);
            try {
                return planner.plan(connection, splitCount, 1000, -1, true);
            } finally {
                dialect().finishRead(connection);
            }
        }
    }

    /**
     * Asserts that the key ranges are contiguous and open at both ends, that their rows and the
     * NULL split's add up to every row, each counted once, and that the largest key range is within
     * twice the mean; returns the sizes.
     */
    protected List<Long> assertCoveredOnceAndBalanced(String name, String column, String where, SplitPlanner.Plan plan) {
        String table = dialect().sql().quoteIdentifier(name);
        String key = dialect().sql().quoteIdentifier(column);
        String filter = where == null ? "" : " AND (" + where + ")";
        Long previousUpper = null;
        boolean first = true;
        List<Long> rangeSizes = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < plan.splits().size(); i++) {
            JdbcSplit split = plan.splits().get(i);
            String predicate;
            if (split instanceof JdbcSplit.NullKeys) {
                assertEquals(plan.splits().size() - 1, i, "the NULL split comes last: " + plan.splits());
                predicate = key + " IS NULL";
            } else {
                JdbcSplit.KeyRange range = assertInstanceOf(JdbcSplit.KeyRange.class, split);
                if (first) {
                    assertNull(range.lowerInclusive(), "the first range is open below: " + plan.splits());
                } else {
                    assertEquals(previousUpper, range.lowerInclusive(), "ranges must meet: " + plan.splits());
                }
                first = false;
                previousUpper = range.upperExclusive();
                predicate = key + " IS NOT NULL" + (range.lowerInclusive() == null ? "" : " AND " + key + " >= "
                        + range.lowerInclusive()) + (range.upperExclusive() == null ? "" : " AND " + key + " < "
                        + range.upperExclusive());
            }
            long rows = database().queryLong("SELECT COUNT(*) FROM " + table + " WHERE " + predicate + filter);
            total += rows;
            if (split instanceof JdbcSplit.KeyRange) {
                rangeSizes.add(rows);
            }
        }
        assertNull(previousUpper, "the last range is open above: " + plan.splits());
        assertEquals(database().queryLong("SELECT COUNT(*) FROM " + table + (where == null ? "" : " WHERE " + where)),
                total, "every row in exactly one split: " + plan.splits());
        assertEquals(database().queryLong("SELECT COUNT(*) FROM " + table + " WHERE " + key + " IS NULL" + filter) > 0,
                plan.splits().get(plan.splits().size() - 1) instanceof JdbcSplit.NullKeys,
                "a NULL split exactly when there are NULL keys: " + plan.splits());
        long keyed = rangeSizes.stream().mapToLong(Long::longValue).sum();
        double mean = (double) keyed / rangeSizes.size();
        long largest = rangeSizes.stream().mapToLong(Long::longValue).max().orElse(0);
        assertTrue(largest <= 2 * mean, "largest range " + largest + " exceeds twice the mean " + mean + " ("
                + plan.method() + "): " + rangeSizes);
        return rangeSizes;
    }

    private static void assertFromEstimates(SplitPlanner.Plan plan, String hint) {
        assertTrue(plan.method().startsWith("cut from") && plan.method().contains(hint), plan.method());
    }

    @Test
    void freshStatisticsCutClusteredKeysWithGapsAndNulls() throws SQLException {
        String name = clustered("plan_fresh", 1, ROWS);
        database().execute(analyze(dialect().sql().quoteIdentifier(name), "k"));
        for (int splitCount : new int[] {4, 16, 64}) {
            SplitPlanner.Plan plan = plan(name, "k", null, splitCount, 1000);
            assertFromEstimates(plan, histogramsOnNonUniqueColumns() ? "a histogram of" : "");
            List<Long> sizes = assertCoveredOnceAndBalanced(name, "k", null, plan);
            assertTrue(sizes.size() >= splitCount / 2, splitCount + " wanted: " + sizes);
        }
    }

    @Test
    void statisticsTakenBeforeTheTableGrewTenfoldCostNoRows() throws SQLException {
        String name = clustered("plan_stale", 1, ROWS / 10);
        String table = dialect().sql().quoteIdentifier(name);
        database().execute(analyze(table, "k"));
        database().execute(analyze(table, "id"));
        insertClustered(table, ROWS / 10 + 1, ROWS - ROWS / 10);
        for (String column : new String[] {"k", "id"}) {
            SplitPlanner.Plan plan = plan(name, column, null, 16, 1000);
            assertFromEstimates(plan, "");
            assertCoveredOnceAndBalanced(name, column, null, plan);
        }
    }

    @Test
    void withoutStatisticsTheTableItselfIsEstimated() throws SQLException {
        String name = clustered("plan_nostats", 1, ROWS);
        SplitPlanner.Plan plan = plan(name, "id", null, 32, 1000);
        assertFromEstimates(plan, "no histogram");
        assertCoveredOnceAndBalanced(name, "id", null, plan);
    }

    @Test
    void aSmallTableIsWalkedAndAWalkOnlyPlannerAlwaysWalks() throws SQLException {
        String name = clustered("plan_small", 1, 5_000);
        database().execute(analyze(dialect().sql().quoteIdentifier(name), "k"));
        SplitPlanner.Plan small = plan(name, "k", null, 8, SplitPlanner.WALK_BELOW_ROWS);
        assertTrue(small.method().startsWith("walking"), small.method());
        assertEquals(8 + 1, small.splits().size(), small.splits().toString());
        assertCoveredOnceAndBalanced(name, "k", null, small);
        SplitPlanner.Plan walked = plan(name, "k", null, 8, Long.MAX_VALUE);
        assertEquals(small.splits(), walked.splits());
    }

    @Test
    void aRowFilterIsHonoured() throws SQLException {
        String name = clustered("plan_where", 1, ROWS);
        String where = "MOD(id, 3) = 0 OR id > " + (ROWS - 1000);
        SplitPlanner.Plan plan = plan(name, "k", where, 16, 1000);
        assertCoveredOnceAndBalanced(name, "k", where, plan);
    }
}
