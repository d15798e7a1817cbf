package dev.ferry.connector.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.connector.jdbc.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Split planning directly: exact counts, wrong statistics, duplicate keys, NULL keys. */
class SplitPlannerTest {

    private static final TestDatabase DB = TestDatabase.h2("planner_test");

    @BeforeAll
    static void tables() {
        DB.execute("CREATE TABLE IF NOT EXISTS clustered (id BIGINT PRIMARY KEY)",
                "DELETE FROM clustered",
                "INSERT INTO clustered SELECT X FROM SYSTEM_RANGE(1, 9000)",
                "INSERT INTO clustered SELECT 1000000000 + X * 1000000 FROM SYSTEM_RANGE(1, 1000)",
                "CREATE TABLE IF NOT EXISTS dupes (k BIGINT)",
                "DELETE FROM dupes",
                "INSERT INTO dupes SELECT CASE WHEN X <= 5000 THEN 7 WHEN X <= 5100 THEN NULL ELSE X END FROM SYSTEM_RANGE(1, 10000)");
    }

    private static SplitPlanner planner(String table, String key) {
        return new SplitPlanner(new H2Dialect(), table,
                SplitColumn.of(new H2Dialect().sql(), new TableName(null, table.toUpperCase()), key.toUpperCase(), null));
    }

    /** Rows per split, counted with each split's own predicate. */
    private static List<Long> sizes(Connection c, String table, String key, List<JdbcSplit> splits) throws SQLException {
        List<Long> sizes = new ArrayList<>();
        for (JdbcSplit split : splits) {
            String where;
            if (split instanceof JdbcSplit.NullKeys) {
                where = key + " IS NULL";
            } else {
                JdbcSplit.KeyRange r = (JdbcSplit.KeyRange) split;
                where = key + " IS NOT NULL" + (r.lowerInclusive() == null ? "" : " AND " + key + " >= " + r.lowerInclusive())
                        + (r.upperExclusive() == null ? "" : " AND " + key + " < " + r.upperExclusive());
            }
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE " + where);
                 ResultSet rs = s.executeQuery()) {
                rs.next();
                sizes.add(rs.getLong(1));
            }
        }
        return sizes;
    }

    private static void assertBalanced(List<Long> sizes, long total) {
        assertEquals(total, sizes.stream().mapToLong(Long::longValue).sum(), sizes.toString());
        double mean = (double) total / sizes.size();
        assertTrue(sizes.stream().allMatch(s -> s <= 2 * mean), "largest exceeds 2x mean " + mean + ": " + sizes);
    }

    @Test
    void exactCountGivesTheAskedNumberOfEqualSplits() throws SQLException {
        try (Connection c = DB.connect()) {
            SplitPlanner.Plan plan = planner("clustered", "id").plan(c, 8, 100);
            assertEquals(8, plan.splits().size());
            assertEquals(10_000, plan.keyedRows());
            List<Long> sizes = sizes(c, "clustered", "id", plan.splits());
            assertBalanced(sizes, 10_000);
            assertEquals(List.of(1250L, 1250L, 1250L, 1250L, 1250L, 1250L, 1250L, 1250L), sizes);
        }
    }

    @Test
    void statisticsThatAreFarOffFallBackToCounting() throws SQLException {
        try (Connection c = DB.connect()) {
            for (long estimate : new long[] {10, 1_000_000, 9_000}) {
                SplitPlanner.Plan plan = planner("clustered", "id").plan(c, 8, 100, estimate, false);
                List<Long> sizes = sizes(c, "clustered", "id", plan.splits());
                assertBalanced(sizes, 10_000);
                assertTrue(plan.splits().size() >= 4 && plan.splits().size() <= 48, estimate + ": " + sizes);
            }
        }
    }

    @Test
    void aKeyValueHeldByManyRowsIsSkippedNotLoopedOnAndNullsGetTheirSplit() throws SQLException {
        try (Connection c = DB.connect()) {
            SplitPlanner.Plan plan = planner("dupes", "k").plan(c, 10, 100);
            assertEquals(9_900, plan.keyedRows());
            assertEquals(100, plan.nullKeyRows());
            assertTrue(plan.splits().get(plan.splits().size() - 1) instanceof JdbcSplit.NullKeys);
            List<Long> sizes = sizes(c, "dupes", "k", plan.splits());
            assertEquals(10_000, sizes.stream().mapToLong(Long::longValue).sum(), sizes.toString());
            assertEquals(100L, sizes.get(sizes.size() - 1));
        }
    }

    @Test
    void genericDialectStreamsTheKeysForTheSameBoundaries() throws SQLException {
        try (Connection c = DB.connect()) {
            SplitPlanner scan = new SplitPlanner(new GenericDialect(), "clustered",
                    new SplitColumn(new TableName(null, "CLUSTERED"), "\"CLUSTERED\"", "ID", "\"ID\"", null));
            SplitPlanner walk = planner("clustered", "id");
            assertEquals(walk.plan(c, 8, 100).splits(), scan.plan(c, 8, 100).splits());
        }
    }
}
