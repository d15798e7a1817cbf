package dev.ferry.connector.duckdb;

import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.config.ConfigType;
import dev.ferry.api.config.ConnectorConfig;
import dev.ferry.connector.jdbc.Dialect;
import dev.ferry.connector.jdbc.JdbcConnectorFactory;
import dev.ferry.connector.jdbc.JdbcTargetConfig;
import java.util.List;

/**
 * The {@code duckdb} connector: the JDBC source and target with {@link DuckDbDialect} on a DuckDB
 * database file ({@code jdbc:duckdb:/data/warehouse.duckdb}) or in memory, plus {@code appender}
 * (insert through DuckDB's appender, on by default). How connections share the database instance
 * and what happens to in-memory URLs is described on {@link DuckDbDialect}.
 */
public final class DuckDbConnector extends JdbcConnectorFactory {

    public static final String APPENDER = "appender";

    private static final DuckDbDialect DIALECT = new DuckDbDialect();

    @Override
    protected Dialect dialect() {
        return DIALECT;
    }

    @Override
    public String description() {
        return "DuckDB embedded database file or in-memory (split by an integer key, appender inserts, ON CONFLICT "
                + "upserts); one process may write a file at a time.";
    }

    @Override
    protected List<ConfigKey> extraTargetKeys() {
        return List.of(ConfigKey.optional(APPENDER, ConfigType.BOOLEAN, true,
                "Insert through DuckDB's appender (writeMode insert); false uses batched INSERT statements."));
    }

    @Override
    protected JdbcTargetConfig targetConfig(ConnectorConfig config) {
        return super.targetConfig(config).withFastPath(!Boolean.FALSE.equals(config.getBoolean(APPENDER)));
    }
}
