package dev.ferry.connector.mariadb.capture;

import dev.ferry.api.change.ChangeSource;
import dev.ferry.connector.jdbc.testing.JoiningTablesContract;
import dev.ferry.connector.jdbc.testing.MapConfig;
import dev.ferry.connector.jdbc.testing.TestDatabase;
import dev.ferry.connector.mariadb.MariaDbConnector;
import java.util.Map;

/**
 * Tables joining a MariaDB stream ({@link JoiningTablesContract}): the position is a consistent
 * snapshot's binlog position, which does not wait for running transactions, and each split copies
 * in a snapshot of its own, which may show transactions after the position.
 */
class MariaDbJoiningTablesIT extends JoiningTablesContract {

    private static final TestDatabase DB = TestDatabase.MARIADB;
    private static final MariaDbConnector CONNECTOR = new MariaDbConnector();

    MariaDbJoiningTablesIT() {
        super(DB, "test", false, false);
    }

    @Override
    protected ChangeSource changeSource(Map<String, Object> options) {
        return CONNECTOR.createChangeSource(MapConfig.capture(CONNECTOR, options));
    }

    @Override
    protected void dropStream() {
        // The binary log is the server's own: the stream created nothing to remove.
    }
}
