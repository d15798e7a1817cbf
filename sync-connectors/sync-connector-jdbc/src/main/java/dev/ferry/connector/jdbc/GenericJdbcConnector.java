package dev.ferry.connector.jdbc;

import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.config.ConfigType;
import java.util.List;

/**
 * The {@code jdbc} connector: any database whose JDBC driver is on the class path, spoken to in
 * standard SQL ({@link GenericDialect}). Database-specific connectors are faster and safer where
 * they exist; socket timeouts go in the URL in the driver's own syntax.
 */
public final class GenericJdbcConnector extends JdbcConnectorFactory {

    private static final GenericDialect DIALECT = new GenericDialect();

    private static final ConfigKey DRIVER = ConfigKey.optional(JdbcKeys.DRIVER_CLASS_NAME, ConfigType.STRING, null,
            "JDBC driver class to load when the driver does not register itself.");

    @Override
    protected Dialect dialect() {
        return DIALECT;
    }

    @Override
    public String description() {
        return "Any JDBC database in standard SQL (table or queries, split by an integer key).";
    }

    @Override
    protected List<ConfigKey> extraSourceKeys() {
        return List.of(DRIVER);
    }

    @Override
    protected List<ConfigKey> extraTargetKeys() {
        return List.of(DRIVER);
    }
}
