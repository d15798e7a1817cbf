package dev.ferry.connector.mariadb;

import com.zaxxer.hikari.HikariConfig;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.connector.jdbc.ColumnReader;
import dev.ferry.connector.jdbc.GenericDialect;
import dev.ferry.connector.jdbc.JdbcEndpoint;
import dev.ferry.connector.jdbc.TableName;
import dev.ferry.connector.jdbc.TimeCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Set;

/**
 * MariaDB and MySQL through MariaDB Connector/J 3.
 *
 * <ul>
 *   <li>Identifiers in backticks; a qualified {@code table} is {@code database.table}.</li>
 *   <li>Sessions are strict and in UTC: {@code sql_mode} is set to {@value #SQL_MODE}, so a value
 *       that does not fit is an error (a dirty row) instead of a warning and a truncated value, and
 *       {@code time_zone} is {@code +00:00}.</li>
 *   <li>MariaDB has no zoned timestamp type: a {@code TIMESTAMP} column (stored as UTC, shown in
 *       the session zone) is TIMESTAMPTZ, read and written as UTC wall time in the UTC session;
 *       {@code DATETIME} is TIMESTAMP.</li>
 *   <li>Streaming: with a fetch size the driver reads that many rows at a time from the socket
 *       instead of loading the whole result ({@code useCursorFetch} is MySQL Connector/J's option,
 *       not this driver's); {@code net_write_timeout} is raised so a reader held back by a slow
 *       target is not cut off by the server after its default 60 s.</li>
 *   <li>Batches: {@code useBulkStmts} sends a whole batch as one COM_STMT_BULK_EXECUTE where the
 *       server supports it (MariaDB), the driver's replacement for 2.x's
 *       {@code rewriteBatchedStatements}.</li>
 *   <li>Upserts: {@code INSERT … ON DUPLICATE KEY UPDATE c = VALUES(c)}, which reacts to any unique
 *       key of the table.</li>
 * </ul>
 */
public final class MariaDbDialect extends GenericDialect {

    /** The session's sql_mode: strict for every table, no zero dates. */
    public static final String SQL_MODE =
            "STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION";
    /** Seconds the server waits on a client that is slow to take streamed rows. */
    static final int NET_WRITE_TIMEOUT_SECONDS = 86_400;

    private static final Set<Integer> DATA_ERROR_CODES = Set.of(
            1048,  // column cannot be null
            1062,  // duplicate entry
            1264,  // out of range value
            1265,  // data truncated
            1292,  // incorrect date/time value
            1364,  // field has no default value
            1366,  // incorrect value for column
            1367,  // illegal value
            1406,  // data too long
            1411,  // incorrect value for function
            1451, 1452,  // foreign key violations
            1690,  // value out of range
            3140,  // invalid JSON (MySQL)
            4025); // CHECK constraint failed
    private static final Set<Integer> RETRIABLE_CODES = Set.of(
            1053,  // server shutdown in progress
            1205,  // lock wait timeout
            1213,  // deadlock
            1317,  // query interrupted (KILL QUERY by someone else)
            1927,  // connection killed
            2006,  // server has gone away
            2013); // lost connection during query

    private final boolean mysql;

    private MariaDbDialect(String name, boolean mysql) {
        super(name, mysql ? "jdbc:mysql:" : "jdbc:mariadb:");
        this.mysql = mysql;
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

    // ---------------------------------------------------------------- identifiers

    @Override
    public String quoteIdentifier(String identifier) {
        return quote(identifier, '`');
    }

    @Override
    public boolean backslashEscapes() {
        return true;
    }

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

    // ---------------------------------------------------------------- types

    @Override
    protected DataType dataType(int jdbcType, String typeName, int precision, int scale) {
        if (typeName.startsWith("bigint") && typeName.contains("unsigned")) {
            return DataType.DECIMAL;
        }
        return switch (typeName) {
            case "timestamp" -> DataType.TIMESTAMPTZ;
            case "datetime" -> DataType.TIMESTAMP;
            case "year" -> DataType.INT64;
            default -> super.dataType(jdbcType, typeName, precision, scale);
        };
    }

    @Override
    protected ColumnReader timestampTzReader() {
        // The session is in UTC, so the TIMESTAMP column's wall time is UTC.
        return (rs, i, sink, c) -> {
            LocalDateTime v = rs.getObject(i, LocalDateTime.class);
            if (v == null) {
                sink.setNull(c);
            } else {
                sink.setLong(c, TimeCodec.micros(v));
            }
        };
    }

    @Override
    protected void bindTimestampTz(PreparedStatement statement, int index, long micros) throws SQLException {
        statement.setObject(index, TimeCodec.localDateTime(micros));
    }

    @Override
    public String columnDefinition(Column column) {
        int p = column.precision();
        return switch (column.type()) {
            case BOOLEAN -> "boolean";
            case INT64 -> "bigint";
            case DECIMAL -> p > 0 && p <= 65 ? "decimal(" + p + "," + Math.min(column.scale(), 30) + ")" : "decimal(65,30)";
            case FLOAT64 -> "double";
            case STRING -> column.nativeType().equals("uuid") ? "char(36)" : p > 0 && p <= 16_383 ? "varchar(" + p + ")" : "longtext";
            // varbinary holds at most 65,532 bytes; a BLOB's 65,535 needs a blob type.
            case BYTES -> p > 0 && p <= 65_532 ? "varbinary(" + p + ")" : "longblob";
            case DATE -> "date";
            case TIME -> "time(6)";
            case TIMESTAMP -> "datetime(6)";
            case TIMESTAMPTZ -> "timestamp(6)";
            case JSON -> "json";
            case NULL -> "varchar(1)";
        };
    }

    // ---------------------------------------------------------------- SQL

    @Override
    public String upsertSql(String quotedTable, List<String> columns, List<String> keyColumns) {
        StringBuilder sb = new StringBuilder(insertSql(quotedTable, columns)).append(" ON DUPLICATE KEY UPDATE ");
        List<String> set = nonKey(columns, keyColumns);
        if (set.isEmpty()) {
            // Nothing to update: keep the existing row (INSERT IGNORE would also hide bad values).
            String key = quoteIdentifier(keyColumns.get(0));
            return sb.append(key).append(" = ").append(key).toString();
        }
        for (int i = 0; i < set.size(); i++) {
            String column = quoteIdentifier(set.get(i));
            sb.append(i == 0 ? "" : ", ").append(column).append(" = VALUES(").append(column).append(')');
        }
        return sb.toString();
    }

    /**
     * With other unique keys, {@code ON DUPLICATE KEY UPDATE} could update whichever row holds a
     * colliding unique value instead of the row with this key; {@code REPLACE} removes every row
     * the new one collides with, which is what the source's order of changes implies.
     */
    @Override
    public String changeUpsertSql(String quotedTable, List<String> columns, List<String> keyColumns,
                                  boolean otherUniqueKeys) {
        return otherUniqueKeys ? "REPLACE" + insertSql(quotedTable, columns).substring("INSERT".length())
                : upsertSql(quotedTable, columns, keyColumns);
    }

    @Override
    public String truncateSql(String quotedTable) {
        return "TRUNCATE TABLE " + quotedTable;
    }

    @Override
    public boolean isUndefinedTable(SQLException error) {
        int code = error.getErrorCode();
        return code == 1146 || code == 1049 || super.isUndefinedTable(error);
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
    public String skipAndTakeOne(long offset) {
        return "LIMIT 1 OFFSET " + offset;
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

    // ---------------------------------------------------------------- errors

    @Override
    protected boolean isRetriableState(SQLException error) {
        return super.isRetriableState(error) || RETRIABLE_CODES.contains(error.getErrorCode());
    }

    @Override
    protected boolean isDataErrorState(SQLException error) {
        return super.isDataErrorState(error) || DATA_ERROR_CODES.contains(error.getErrorCode());
    }

    @Override
    public String sessionIdSql() {
        return "SELECT CONNECTION_ID()";
    }

    @Override
    public String killSessionSql(long sessionId) {
        return "KILL CONNECTION " + sessionId;
    }
}
