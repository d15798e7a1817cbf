package dev.ferry.connector.mariadb;

import com.zaxxer.hikari.HikariConfig;
import dev.ferry.connector.jdbc.DigestSql;
import dev.ferry.connector.jdbc.GenericDialect;
import dev.ferry.connector.jdbc.JdbcEndpoint;
import dev.ferry.connector.jdbc.KeyEstimates;
import dev.ferry.connector.jdbc.KeyStatistics;
import dev.ferry.connector.jdbc.SplitColumn;
import dev.ferry.connector.jdbc.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.Optional;

/**
 * MariaDB and MySQL through MariaDB Connector/J 3. Its types are {@code MariaDbTypes}
 * ({@code TIMESTAMP} as a zoned timestamp read in UTC), its SQL {@code MariaDbSql} (backticks,
 * {@code ON DUPLICATE KEY UPDATE}, {@code REPLACE} for change streams), its errors
 * {@code MariaDbErrors} (vendor codes); the dialect itself owns the session and the connection:
 *
 * <ul>
 *   <li>A qualified {@code table} is {@code database.table}: the database is the JDBC catalog, so
 *       metadata calls pass it as the catalog and no schema.</li>
 *   <li>Sessions are strict and in UTC: {@code sql_mode} is set to {@value #SQL_MODE}, so a value
 *       that does not fit is an error (a dirty row) instead of a warning and a truncated value, and
 *       {@code time_zone} is {@code +00:00}.</li>
 *   <li>Streaming: with a fetch size the driver reads that many rows at a time from the socket
 *       instead of loading the whole result ({@code useCursorFetch} is MySQL Connector/J's option,
 *       not this driver's); {@code net_write_timeout} is raised so a reader held back by a slow
 *       target is not cut off by the server after its default 60 s.</li>
 *   <li>Reads use the binary protocol (a server-side prepared statement, {@link #prepareRead}):
 *       numbers and DATETIMEs arrive in binary instead of as text the driver parses for every
 *       value, which made MariaDB → PostgreSQL about a fifth faster (except for a FLOAT column,
 *       see there); writes keep the pool's client-side statements.</li>
 *   <li>Batches: {@code useBulkStmts} sends a whole batch as one COM_STMT_BULK_EXECUTE where the
 *       server supports it (MariaDB), the driver's replacement for 2.x's
 *       {@code rewriteBatchedStatements}.</li>
 *   <li>Split planning: ranges are cut from index dives and the column's histogram
 *       ({@link MariaDbKeyStatistics}) instead of walking the key index.</li>
 * </ul>
 */
public final class MariaDbDialect extends GenericDialect implements KeyStatistics {

    private static final DigestSql DIGEST = new MariaDbDigestSql();

    /** The session's sql_mode: strict for every table, no zero dates. */
    public static final String SQL_MODE =
            "STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION";
    /** Seconds the server waits on a client that is slow to take streamed rows. */
    static final int NET_WRITE_TIMEOUT_SECONDS = 86_400;

    private final boolean mysql;

    private MariaDbDialect(String name, boolean mysql) {
        this(name, mysql, new MariaDbTypes());
    }

    private MariaDbDialect(String name, boolean mysql, MariaDbTypes types) {
        super(name, mysql ? "jdbc:mysql:" : "jdbc:mariadb:", types, new MariaDbSql(types), new MariaDbErrors());
        this.mysql = mysql;
    }

    /**
     * A server-side prepared statement for the read: the driver's text protocol would parse every
     * double and DATETIME from its text, the binary protocol sends them ready to use. A result
     * with a FLOAT column stays on the text protocol, whose value is the server's printed one
     * (six significant digits, or the column's decimals) where the binary protocol gives the
     * single-precision value itself, and the binlog capture follows the printed form. The
     * statement belongs to the driver's connection under the pool's proxy; the reader closes it.
     */
    @Override
    public PreparedStatement prepareRead(Connection connection, String sql) throws SQLException {
        PreparedStatement binary = connection.unwrap(org.mariadb.jdbc.Connection.class).prepareInternal(sql,
                Statement.NO_GENERATED_KEYS, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY, true);
        ResultSetMetaData columns = binary.getMetaData();
        for (int i = 1; columns != null && i <= columns.getColumnCount(); i++) {
            if (columns.getColumnType(i) == Types.REAL || "FLOAT".equalsIgnoreCase(columns.getColumnTypeName(i))) {
                binary.close();
                return super.prepareRead(connection, sql);
            }
        }
        return binary;
    }

    /** The {@code mariadb} dialect. */
    public static MariaDbDialect mariadb() {
        return new MariaDbDialect("mariadb", false);
    }

    /** The {@code mysql} dialect: the same driver and SQL, MySQL URLs. */
    public static MariaDbDialect mysql() {
        return new MariaDbDialect("mysql", true);
    }

    @Override
    public Optional<DigestSql> digestSql() {
        return Optional.of(DIGEST);
    }

    @Override
    public boolean acceptsUrl(String url) {
        return url != null && (url.regionMatches(true, 0, "jdbc:mariadb:", 0, 13)
                || url.regionMatches(true, 0, "jdbc:mysql:", 0, 11));
    }

    @Override
    public String urlExample() {
        return mysql ? "jdbc:mysql://127.0.0.1:3306/test" : "jdbc:mariadb://127.0.0.1:3306/test";
    }

    /** Connector/J 3 takes {@code jdbc:mysql:} URLs only when they say {@code permitMysqlScheme}. */
    @Override
    public String driverUrl(String url) {
        if (url.regionMatches(true, 0, "jdbc:mysql:", 0, 11) && !url.contains("permitMysqlScheme")) {
            return url + (url.indexOf('?') < 0 ? "?" : "&") + "permitMysqlScheme";
        }
        return url;
    }

    // ---------------------------------------------------------------- catalog

    @Override
    public String currentSchema(Connection connection) throws SQLException {
        return connection.getCatalog();
    }

    @Override
    protected String metadataCatalog(Connection connection, TableName table) throws SQLException {
        return table.schema() != null ? table.schema() : connection.getCatalog();
    }

    @Override
    protected String metadataSchema(String schema) {
        return null;
    }

    @Override
    public long estimateRows(Connection connection, TableName table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT TABLE_ROWS FROM information_schema.TABLES "
                + "WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?")) {
            statement.setString(1, table.schema());
            statement.setString(2, table.name());
            try (java.sql.ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    @Override
    public Optional<KeyEstimates> keyEstimates(Connection connection, SplitColumn column, int splitCount)
            throws SQLException {
        return MariaDbKeyStatistics.keyEstimates(connection, column);
    }

    // ---------------------------------------------------------------- connections

    @Override
    public void configurePool(HikariConfig config, JdbcEndpoint endpoint) {
        super.configurePool(config, endpoint);
        // Connector/J takes its timeouts in milliseconds; URL parameters still win over these.
        config.addDataSourceProperty("connectTimeout", Integer.toString(endpoint.connectTimeoutSeconds() * 1000));
        config.addDataSourceProperty("socketTimeout", Integer.toString(endpoint.socketTimeoutSeconds() * 1000));
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("useBulkStmts", "true");
        config.addDataSourceProperty("useBulkStmtsForInserts", "true");
        config.setConnectionInitSql("SET SESSION sql_mode = '" + SQL_MODE + "', time_zone = '+00:00', "
                + "net_write_timeout = " + NET_WRITE_TIMEOUT_SECONDS);
    }

    // ---------------------------------------------------------------- diagnostics and tests

    @Override
    public String sessionIdSql() {
        return "SELECT CONNECTION_ID()";
    }

    @Override
    public String killSessionSql(long sessionId) {
        return "KILL CONNECTION " + sessionId;
    }
}
