package dev.ferry.connector.mariadb;

import dev.ferry.api.change.ChangeSource;
import dev.ferry.api.change.SupportsChangeCapture;
import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.config.ConnectorConfig;
import dev.ferry.api.error.Violation;
import dev.ferry.connector.jdbc.JdbcEndpoint;
import dev.ferry.connector.jdbc.JdbcSourceConfig;
import dev.ferry.connector.mariadb.capture.MariaDbCaptureConfig;
import dev.ferry.connector.mariadb.capture.MariaDbChangeSource;
import java.util.ArrayList;
import java.util.List;

import dev.ferry.connector.jdbc.Dialect;
import dev.ferry.connector.jdbc.JdbcConnectorFactory;

/** The {@code mariadb} connector: the JDBC source and target with {@link MariaDbDialect}. */
public final class MariaDbConnector extends JdbcConnectorFactory implements SupportsChangeCapture {

    private static final MariaDbDialect DIALECT = MariaDbDialect.mariadb();

    @Override
    protected Dialect dialect() {
        return DIALECT;
    }

    @Override
    public String description() {
        return "MariaDB: streaming parallel reads, bulk batched inserts, ON DUPLICATE KEY upserts, strict writes; change capture from the binlog.";
    }

    @Override
    public List<ConfigKey> captureKeys() {
        return MariaDbCaptureConfig.keys();
    }

    @Override
    public ChangeSource createChangeSource(ConnectorConfig config) {
        List<Violation> violations = new ArrayList<>();
        JdbcEndpoint endpoint = JdbcSourceConfig.endpoint(config, DIALECT, violations);
        return new MariaDbChangeSource(DIALECT, MariaDbCaptureConfig.from(config, endpoint, violations));
    }
}
