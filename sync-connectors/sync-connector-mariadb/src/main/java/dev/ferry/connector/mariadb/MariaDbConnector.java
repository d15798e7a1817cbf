package dev.ferry.connector.mariadb;

import dev.ferry.connector.jdbc.Dialect;
import dev.ferry.connector.jdbc.JdbcConnectorFactory;

/** The {@code mariadb} connector: the JDBC source and target with {@link MariaDbDialect}. */
public final class MariaDbConnector extends JdbcConnectorFactory {

    private static final MariaDbDialect DIALECT = MariaDbDialect.mariadb();

    @Override
    protected Dialect dialect() {
        return DIALECT;
    }

    @Override
    public String description() {
        return "MariaDB: streaming parallel reads, bulk batched inserts, ON DUPLICATE KEY upserts, strict writes.";
    }
}
