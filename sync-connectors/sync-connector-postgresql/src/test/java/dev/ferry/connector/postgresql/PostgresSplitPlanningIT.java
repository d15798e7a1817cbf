package dev.ferry.connector.postgresql;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.connector.jdbc.Dialect;
import dev.ferry.connector.jdbc.JdbcConnectorFactory;
import dev.ferry.connector.jdbc.SplitPlanner;
import dev.ferry.connector.jdbc.testing.SplitPlanningContract;
import dev.ferry.connector.jdbc.testing.TestDatabase;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Split planning from {@code pg_stats} histograms and {@code TABLESAMPLE SYSTEM} samples on the real server. */
class PostgresSplitPlanningIT extends SplitPlanningContract {

    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRES;
    }

    @Override
    protected JdbcConnectorFactory connector() {
        return new PostgresConnector();
    }

    @Override
    protected Dialect dialect() {
        return new PostgresDialect();
    }

    @Override
    protected String series(long from, long to) {
        return "SELECT n::bigint AS n FROM generate_series(" + from + "::bigint, " + to + "::bigint) AS g(n)";
    }

    @Override
    protected String noAutomaticStatistics() {
        return " WITH (autovacuum_enabled = false)";
    }

    @Override
    protected String[] analyze(String quotedTable, String column) {
        return new String[] {"ANALYZE " + quotedTable};
    }

    @Override
    protected boolean histogramsOnNonUniqueColumns() {
        return true;
    }

    @Test
    void aFilteredTableIsSampledWithItsFilter() throws SQLException {
        String name = clustered("plan_pgwhere", 1, ROWS);
        String where = "id > " + (ROWS / 2);
        SplitPlanner.Plan plan = plan(name, "k", where, 16, 1000);
        assertTrue(plan.method().contains("block sample"), plan.method());
        assertCoveredOnceAndBalanced(name, "k", where, plan);
    }

    @Test
    void blocksHoldingMoreKeysThanASampleKeepsSendAShareOfThem() throws SQLException {
        // Narrow rows (about 226 a page): the 2,048 sampled blocks hold some 460,000 keys, more than
        // the 262,144 kept, so only a hashed share of them is sent.
        String name = TestDatabase.uniqueName("plan_narrow");
        String table = dialect().sql().quoteIdentifier(name);
        tables.add(table);
        database().execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY) WITH (autovacuum_enabled = false)",
                "INSERT INTO " + table + " SELECT CASE WHEN n <= 540000 THEN n ELSE 1000000000 + n * 1000 END "
                        + "FROM generate_series(1, 600000) n",
                "ANALYZE " + table);
        SplitPlanner.Plan plan = plan(name, "id", null, 16, 1000);
        java.util.regex.Matcher keys = java.util.regex.Pattern.compile("block sample \\(([0-9,]+) keys\\)")
                .matcher(plan.method());
        assertTrue(keys.find(), plan.method());
        long sent = Long.parseLong(keys.group(1).replace(",", ""));
        assertTrue(sent > 100_000 && sent < 400_000, plan.method());
        assertCoveredOnceAndBalanced(name, "id", null, plan);
    }
}
