package dev.ferry.connector.mariadb;

import dev.ferry.connector.jdbc.Dialect;
import dev.ferry.connector.jdbc.JdbcConnectorFactory;

/**
 * The {@code mysql} connector: MySQL through MariaDB Connector/J, which speaks MySQL's protocol;
 * {@code jdbc:mysql:} URLs get the driver's {@code permitMysqlScheme} flag.
 */
public final class MySqlConnector extends JdbcConnectorFactory {

    private static final MariaDbDialect DIALECT = MariaDbDialect.mysql();

    @Override
    protected Dialect dialect() {
        return DIALECT;
    }

    @Override
    public String description() {
        return "MySQL (through MariaDB Connector/J): streaming parallel reads, batched inserts, ON DUPLICATE KEY upserts.";
    }
}
