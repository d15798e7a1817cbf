package dev.ferry.connector.mariadb;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.connector.jdbc.Dialect;
import dev.ferry.connector.jdbc.JdbcConnectorFactory;
import dev.ferry.connector.jdbc.SplitPlanner;
import dev.ferry.connector.jdbc.testing.SplitPlanningContract;
import dev.ferry.connector.jdbc.testing.TestDatabase;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Split planning from index dives and {@code mysql.column_stats} histograms on the real server. */
class MariaDbSplitPlanningIT extends SplitPlanningContract {

    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Override
    protected JdbcConnectorFactory connector() {
        return new MariaDbConnector();
    }

    @Override
    protected Dialect dialect() {
        return MariaDbDialect.mariadb();
    }

    @Override
    protected String series(long from, long to) {
        return "SELECT seq AS n FROM seq_" + from + "_to_" + to;
    }

    @Override
    protected String noAutomaticStatistics() {
        return " ENGINE=InnoDB STATS_AUTO_RECALC=0";
    }

    @Override
    protected String[] analyze(String quotedTable, String column) {
        return new String[] {"SET SESSION histogram_type = JSON_HB",
                "ANALYZE TABLE " + quotedTable + " PERSISTENT FOR COLUMNS (" + column + ") INDEXES ()"};
    }

    @Override
    protected boolean histogramsOnNonUniqueColumns() {
        return true;
    }

    @Test
    void aRowFilterMakesThePlannerWalk() throws SQLException {
        String name = clustered("plan_mwhere", 1, ROWS);
        SplitPlanner.Plan plan = plan(name, "k", "id > 5", 16, 1000);
        assertTrue(plan.method().startsWith("walking"), plan.method());
    }
}
