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
}
