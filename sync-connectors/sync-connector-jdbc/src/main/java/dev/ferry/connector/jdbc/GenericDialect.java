package dev.ferry.connector.jdbc;

import com.zaxxer.hikari.HikariConfig;
import dev.ferry.api.WriterContext;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Standard SQL and plain JDBC: the dialect of the generic {@code jdbc} connector and the base
 * that each database's dialect refines. It puts together a {@link TypeMapping}, an
 * {@link SqlRenderer} and an {@link ErrorClassifier} ({@link GenericTypes}, {@link GenericSql} and
 * {@link GenericErrors} for the generic connector) and answers the rest with JDBC's metadata calls:
 * no row estimates, a plain fetch size for streaming, batched prepared statements for writing, no
 * way to settle a commit in doubt.
 *
 * <p>A database's dialect passes its own three objects to the protected constructor and overrides
 * only the connection-side methods its database does differently.
 *
 * <p>Threading: immutable; safe to share.
 */
public class GenericDialect implements Dialect {

    private final String name;
    private final String urlPrefix;
    private final TypeMapping types;
    private final SqlRenderer sql;
    private final ErrorClassifier errors;

    /** The generic {@code jdbc} dialect, for any URL. */
    public GenericDialect() {
        this("jdbc", "jdbc:", new GenericTypes());
    }

    private GenericDialect(String name, String urlPrefix, GenericTypes types) {
        this(name, urlPrefix, types, new GenericSql(types), new GenericErrors());
    }

    /**
     * @param name      the connector's name
     * @param urlPrefix the prefix every accepted URL starts with, e.g. {@code "jdbc:h2:"}
     * @param types     the database's type mapping
     * @param sql       the database's SQL, rendering column types with {@code types}
     * @param errors    the database's error classification
     */
    protected GenericDialect(String name, String urlPrefix, TypeMapping types, SqlRenderer sql,
                             ErrorClassifier errors) {
        this.name = Objects.requireNonNull(name, "name");
        this.urlPrefix = Objects.requireNonNull(urlPrefix, "urlPrefix");
        this.types = Objects.requireNonNull(types, "types");
        this.sql = Objects.requireNonNull(sql, "sql");
        this.errors = Objects.requireNonNull(errors, "errors");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean acceptsUrl(String url) {
        return url != null && url.regionMatches(true, 0, urlPrefix, 0, urlPrefix.length());
    }

    @Override
    public String urlExample() {
        return "jdbc:<driver>://host:port/database";
    }

    // ---------------------------------------------------------------- the three concerns

    @Override
    public TypeMapping types() {
        return types;
    }

    @Override
    public SqlRenderer sql() {
        return sql;
    }

    @Override
    public ErrorClassifier errors() {
        return errors;
    }

    // ---------------------------------------------------------------- catalog

    @Override
    public String currentSchema(Connection connection) throws SQLException {
        try {
            return connection.getSchema();
        } catch (AbstractMethodError | java.sql.SQLFeatureNotSupportedException e) {
            return null;
        }
    }

    @Override
    public List<String> primaryKey(Connection connection, TableName table) throws SQLException {
        DatabaseMetaData metaData = connection.getMetaData();
        String schema = table.schema() != null ? table.schema() : currentSchema(connection);
        TreeMap<Integer, String> columns = new TreeMap<>();
        try (ResultSet rs = metaData.getPrimaryKeys(metadataCatalog(connection, table), metadataSchema(schema), table.name())) {
            while (rs.next()) {
                columns.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME"));
            }
        }
        return new ArrayList<>(columns.values());
    }

    /** The catalog argument of metadata calls for the table (MariaDB keeps databases there). */
    protected String metadataCatalog(Connection connection, TableName table) throws SQLException {
        return null;
    }

    /** The schema argument of metadata calls. */
    protected String metadataSchema(String schema) {
        return schema;
    }

    @Override
    public List<List<String>> uniqueKeys(Connection connection, TableName table) throws SQLException {
        DatabaseMetaData metaData = connection.getMetaData();
        String schema = table.schema() != null ? table.schema() : currentSchema(connection);
        java.util.Map<String, TreeMap<Integer, String>> indexes = new java.util.LinkedHashMap<>();
        try (ResultSet rs = metaData.getIndexInfo(metadataCatalog(connection, table), metadataSchema(schema),
                table.name(), true, false)) {
            while (rs.next()) {
                String column = rs.getString("COLUMN_NAME");
                if (column != null && !rs.getBoolean("NON_UNIQUE")) {
                    indexes.computeIfAbsent(String.valueOf(rs.getString("INDEX_NAME")), k -> new TreeMap<>())
                            .put(rs.getInt("ORDINAL_POSITION"), column);
                }
            }
        }
        List<List<String>> keys = new ArrayList<>();
        indexes.values().forEach(columns -> keys.add(List.copyOf(columns.values())));
        return keys;
    }

    @Override
    public long estimateRows(Connection connection, TableName table) throws SQLException {
        return -1;
    }

    // ---------------------------------------------------------------- connections and streaming

    @Override
    public void configurePool(HikariConfig config, JdbcEndpoint endpoint) {
        config.setJdbcUrl(driverUrl(endpoint.url()));
        if (endpoint.username() != null) {
            config.setUsername(endpoint.username());
        }
        if (!endpoint.password().isEmpty()) {
            config.setPassword(endpoint.password().value());
        }
        if (endpoint.driverClassName() != null) {
            config.setDriverClassName(endpoint.driverClassName());
        }
        // The pool waits for a new connection as long as the driver may take to open one.
        config.setConnectionTimeout(Math.max(250L, endpoint.connectTimeoutSeconds() * 1000L + 5_000L));
    }

    @Override
    public void beginRead(Connection connection) throws SQLException {
        // Nothing by default: one SELECT is consistent on its own.
    }

    @Override
    public void finishRead(Connection connection) throws SQLException {
        if (!connection.getAutoCommit()) {
            connection.rollback();
            connection.setAutoCommit(true);
        }
    }

    @Override
    public PreparedStatement prepareRead(Connection connection, String sql) throws SQLException {
        return connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
    }

    @Override
    public void configureStreaming(PreparedStatement statement, int fetchSize) throws SQLException {
        statement.setFetchSize(fetchSize);
    }

    // ---------------------------------------------------------------- writing

    @Override
    public BatchLoader openLoader(WritePlan plan, Connection connection, WriterContext context) throws SQLException {
        return new StatementLoader(this, plan, connection, context);
    }

    @Override
    public String transactionToken(Connection connection) throws SQLException {
        return null;
    }

    @Override
    public Boolean transactionCommitted(Connection other, String token) throws SQLException {
        return null;
    }

    // ---------------------------------------------------------------- diagnostics and tests

    @Override
    public String sessionIdSql() {
        return null;
    }

    @Override
    public String killSessionSql(long sessionId) {
        return null;
    }
}
