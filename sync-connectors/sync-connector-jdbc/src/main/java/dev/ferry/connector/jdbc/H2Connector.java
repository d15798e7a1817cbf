package dev.ferry.connector.jdbc;

/**
 * The {@code h2} connector: an embedded or server H2 database. In-memory URLs need
 * {@code DB_CLOSE_DELAY=-1} (or another open connection) to outlive the job's pools.
 */
public final class H2Connector extends JdbcConnectorFactory {

    private static final H2Dialect DIALECT = new H2Dialect();

    @Override
    protected Dialect dialect() {
        return DIALECT;
    }

    @Override
    public String description() {
        return "H2 embedded or server database (split by an integer key, MERGE upserts).";
    }
}
