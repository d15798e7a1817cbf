package dev.ferry.connector.jdbc;

import dev.ferry.api.change.ChangeSource;
import dev.ferry.api.change.SupportsChangeCapture;
import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.config.ConnectorConfig;
import dev.ferry.api.error.Violation;
import dev.ferry.connector.jdbc.capture.H2CaptureConfig;
import dev.ferry.connector.jdbc.capture.H2ChangeSource;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code h2} connector: an embedded or server H2 database. In-memory URLs need
 * {@code DB_CLOSE_DELAY=-1} (or another open connection) to outlive the job's pools. In streaming
 * jobs it captures changes with triggers that copy each change into a change table
 * ({@link H2ChangeSource}), since H2 has no log to read.
 */
public final class H2Connector extends JdbcConnectorFactory implements SupportsChangeCapture {

    private static final H2Dialect DIALECT = new H2Dialect();

    @Override
    protected Dialect dialect() {
        return DIALECT;
    }

    @Override
    public String description() {
        return "H2 embedded or server database (split by an integer key, MERGE upserts); change capture through "
                + "triggers that write each change into a change table (for an embedded database: it adds to the cost "
                + "of every write).";
    }

    @Override
    public List<ConfigKey> captureKeys() {
        return H2CaptureConfig.keys();
    }

    @Override
    public ChangeSource createChangeSource(ConnectorConfig config) {
        List<Violation> violations = new ArrayList<>();
        JdbcEndpoint endpoint = JdbcSourceConfig.endpoint(config, DIALECT, violations);
        return new H2ChangeSource(DIALECT, H2CaptureConfig.from(config, endpoint, violations));
    }
}
