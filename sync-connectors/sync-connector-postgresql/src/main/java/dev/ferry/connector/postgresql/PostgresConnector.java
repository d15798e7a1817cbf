package dev.ferry.connector.postgresql;

import dev.ferry.api.change.ChangeSource;
import dev.ferry.api.change.SupportsChangeCapture;
import dev.ferry.api.error.Violation;
import dev.ferry.connector.jdbc.JdbcEndpoint;
import dev.ferry.connector.postgresql.capture.PostgresCaptureConfig;
import dev.ferry.connector.postgresql.capture.PostgresChangeSource;
import java.util.ArrayList;

import dev.ferry.api.Target;
import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.config.ConfigType;
import dev.ferry.api.config.ConnectorConfig;
import dev.ferry.connector.jdbc.Dialect;
import dev.ferry.connector.jdbc.JdbcConnectorFactory;
import dev.ferry.connector.jdbc.JdbcSourceConfig;
import dev.ferry.connector.jdbc.JdbcTarget;
import dev.ferry.connector.jdbc.JdbcTargetConfig;
import java.util.List;

/**
 * The {@code postgresql} connector: the JDBC source and target with {@link PostgresDialect}, plus
 * {@code consistent} (all splits read one exported snapshot) and {@code copy} (insert through
 * COPY, on by default); in streaming jobs, change capture through logical decoding
 * ({@link PostgresChangeSource}).
 */
public final class PostgresConnector extends JdbcConnectorFactory implements SupportsChangeCapture {

    public static final String CONSISTENT = "consistent";
    public static final String COPY = "copy";
    public static final String COPY_FORMAT = "copyFormat";

    private static final PostgresDialect DIALECT = new PostgresDialect();

    @Override
    protected Dialect dialect() {
        return DIALECT;
    }

    @Override
    public String description() {
        return "PostgreSQL: parallel snapshot-consistent reads, COPY inserts, ON CONFLICT upserts; change capture through logical decoding.";
    }

    @Override
    protected List<ConfigKey> extraSourceKeys() {
        return List.of(ConfigKey.optional(CONSISTENT, ConfigType.BOOLEAN, false,
                "Read every split from one exported snapshot, so a parallel copy is a point-in-time copy."));
    }

    @Override
    protected List<ConfigKey> extraTargetKeys() {
        return List.of(ConfigKey.optional(COPY, ConfigType.BOOLEAN, true,
                        "Insert through COPY FROM STDIN (writeMode insert); false uses batched INSERT statements."),
                ConfigKey.oneOf(COPY_FORMAT, "binary", List.of("binary", "text"),
                        "COPY data format: binary (text for tables with a column that has no binary form) or text."));
    }

    @Override
    protected JdbcSourceConfig sourceConfig(ConnectorConfig config) {
        return super.sourceConfig(config).withConsistent(Boolean.TRUE.equals(config.getBoolean(CONSISTENT)));
    }

    @Override
    protected Dialect targetDialect(ConnectorConfig config) {
        // A task's apply block has no copyFormat: its copies write with the connector's own dialect.
        if (!config.declares(COPY_FORMAT)) {
            return DIALECT;
        }
        return new PostgresDialect(CopyFormat.fromKey(config.getString(COPY_FORMAT)));
    }

    @Override
    protected JdbcTargetConfig targetConfig(ConnectorConfig config) {
        return super.targetConfig(config).withFastPath(!Boolean.FALSE.equals(config.getBoolean(COPY)));
    }

    @Override
    public List<ConfigKey> captureKeys() {
        return PostgresCaptureConfig.keys();
    }

    @Override
    public ChangeSource createChangeSource(ConnectorConfig config) {
        List<Violation> violations = new ArrayList<>();
        JdbcEndpoint endpoint = JdbcSourceConfig.endpoint(config, DIALECT, violations);
        return new PostgresChangeSource(DIALECT, PostgresCaptureConfig.from(config, endpoint, violations));
    }
}
