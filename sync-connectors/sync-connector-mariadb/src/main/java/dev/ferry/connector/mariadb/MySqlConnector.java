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

/**
 * The {@code mysql} connector: MySQL through MariaDB Connector/J, which speaks MySQL's protocol;
 * {@code jdbc:mysql:} URLs get the driver's {@code permitMysqlScheme} flag.
 */
public final class MySqlConnector extends JdbcConnectorFactory implements SupportsChangeCapture {

    private static final MariaDbDialect DIALECT = MariaDbDialect.mysql();

    @Override
    protected Dialect dialect() {
        return DIALECT;
    }

    @Override
    public String description() {
        return "MySQL (through MariaDB Connector/J): streaming parallel reads, batched inserts, ON DUPLICATE KEY upserts.";
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
