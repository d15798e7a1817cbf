package dev.ferry.connector.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HikariCP pool of one job's endpoint (its source or its target), sized to the job's
 * concurrency plus the connections planning and preparation need. Opening it connects once, so a
 * wrong URL, password or an unreachable server fails in the PRE stage with the driver's reason.
 *
 * <p>Threading: safe for concurrent use.
 */
public final class ConnectionPool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionPool.class);

    static {
        registerDrivers();
    }

    private final HikariDataSource dataSource;
    private final String name;

    private ConnectionPool(HikariDataSource dataSource, String name) {
        this.dataSource = dataSource;
        this.name = name;
    }

    /**
     * Opens a pool and one connection.
     *
     * @param name a name for logs, e.g. {@code "ferry-orders-source"}
     * @param size the most connections the pool opens, >= 1
     * @throws dev.ferry.api.error.SyncException naming the masked URL and the driver's reason
     */
    public static ConnectionPool open(Dialect dialect, JdbcEndpoint endpoint, String name, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("pool size must be >= 1, got " + size);
        }
        HikariConfig config = new HikariConfig();
        dialect.configurePool(config, endpoint);
        config.setPoolName(name);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setRegisterMbeans(false);
        try {
            HikariDataSource dataSource = new HikariDataSource(config);
            LOG.info("{}: connected to {} (at most {} connections)", name, endpoint.maskedUrl(), size);
            return new ConnectionPool(dataSource, name);
        } catch (RuntimeException e) {
            throw new ErrorTranslator(dialect.errors(), endpoint.redactor())
                    .translate("cannot connect to " + endpoint.maskedUrl(), e);
        }
    }

    /**
     * Registers the JDBC drivers of this class's loader before a pool looks its driver up.
     * DriverManager gives a caller only the drivers that the caller's own class loader defined, and
     * on its first use in the JVM registers those of that first caller's loader only. Where the
     * connectors and their drivers are loaded once more by another class loader (a Flink job's
     * user-code class loader reads them from the job's jar), the first lookup from there would find
     * none and fail with "No suitable driver"; loading a driver registers it.
     */
    private static void registerDrivers() {
        Iterator<Driver> drivers = ServiceLoader.load(Driver.class, ConnectionPool.class.getClassLoader()).iterator();
        while (true) {
            try {
                if (!drivers.hasNext()) {
                    return;
                }
                drivers.next();
            } catch (ServiceConfigurationError e) {
                LOG.debug("a JDBC driver of the class path cannot be loaded", e);
            }
        }
    }

    /** A connection from the pool; close it to give it back. */
    public Connection borrow() throws SQLException {
        return dataSource.getConnection();
    }

    /**
     * Gives back a connection a writer used without auto-commit: rolls back what is uncommitted,
     * restores auto-commit and closes it, or evicts it when that fails. Never throws.
     */
    public void giveBack(Connection connection) {
        try {
            connection.rollback();
            connection.setAutoCommit(true);
            connection.close();
        } catch (SQLException e) {
            evict(connection);
        }
    }

    /** Closes a broken connection for good instead of giving it back. Never throws. */
    public void evict(Connection connection) {
        try {
            dataSource.evictConnection(connection);
        } catch (RuntimeException e) {
            LOG.debug("{}: evicting a connection failed", name, e);
        }
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
