package dev.ferry.connector.postgresql;

import com.zaxxer.hikari.HikariConfig;
import dev.ferry.api.WriterContext;
import dev.ferry.connector.jdbc.BatchLoader;
import dev.ferry.connector.jdbc.GenericDialect;
import dev.ferry.connector.jdbc.JdbcEndpoint;
import dev.ferry.connector.jdbc.DigestSql;
import dev.ferry.connector.jdbc.KeyEstimates;
import dev.ferry.connector.jdbc.KeyStatistics;
import dev.ferry.connector.jdbc.PartitionSql;
import dev.ferry.connector.jdbc.SnapshotExport;
import dev.ferry.connector.jdbc.SplitColumn;
import dev.ferry.connector.jdbc.TableName;
import dev.ferry.connector.jdbc.WriteMode;
import dev.ferry.connector.jdbc.WritePlan;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * PostgreSQL (pgjdbc). Its types are {@code PostgresTypes} ({@code timestamptz} read as
 * {@code OffsetDateTime}, text bound to non-text columns with an unspecified type so the server
 * casts it), its SQL {@link PostgresSql} ({@code INSERT … ON CONFLICT … DO UPDATE} upserts,
 * {@code COPY}), its errors {@code PostgresErrors}. The dialect itself adds {@code COPY … FROM
 * STDIN} inserts ({@link CopyLoader}), cursors (a transaction plus a fetch size) for streaming,
 * row estimates from {@code pg_class}, split planning from the column's histogram and a block
 * sample ({@link PostgresKeyStatistics}), exported snapshots for consistent parallel reads,
 * transaction ids to settle a commit in doubt, and sessions in UTC. Partitioned change targets use
 * declarative partitioning ({@link PostgresPartitionSql}).
 */
public final class PostgresDialect extends GenericDialect implements SnapshotExport, KeyStatistics {

    private static final DigestSql DIGEST = new PostgresDigestSql();

    private static final Pattern SNAPSHOT_ID = Pattern.compile("[0-9A-Fa-f]+(-[0-9A-Fa-f]+)*");

    private final CopyFormat copyFormat;
    private final PostgresSql sql;
    private final PostgresPartitionSql partitions;

    /** The dialect with binary COPY where possible. */
    public PostgresDialect() {
        this(CopyFormat.BINARY);
    }

    PostgresDialect(CopyFormat copyFormat) {
        this(copyFormat, new PostgresTypes());
    }

    private PostgresDialect(CopyFormat copyFormat, PostgresTypes types) {
        this(copyFormat, types, new PostgresSql(types));
    }

    private PostgresDialect(CopyFormat copyFormat, PostgresTypes types, PostgresSql sql) {
        super("postgresql", "jdbc:postgresql:", types, sql, new PostgresErrors());
        this.copyFormat = copyFormat;
        this.sql = sql;
        this.partitions = new PostgresPartitionSql(sql, types);
    }

    CopyFormat copyFormat() {
        return copyFormat;
    }

    @Override
    public String urlExample() {
        return "jdbc:postgresql://127.0.0.1:5432/test";
    }

    /** The PostgreSQL renderer, which also writes the {@code COPY} statement of the bulk path. */
    @Override
    public PostgresSql sql() {
        return sql;
    }

    @Override
    public Optional<PartitionSql> partitions() {
        return Optional.of(partitions);
    }

    @Override
    public Optional<DigestSql> digestSql() {
        return Optional.of(DIGEST);
    }

    // ---------------------------------------------------------------- catalog

    @Override
    public long estimateRows(Connection connection, TableName table) throws SQLException {
        // to_regclass: a missing table yields NULL, never an error that would abort a snapshot transaction.
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(?)")) {
            statement.setString(1, sql.quoteTable(table));
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    @Override
    public Optional<KeyEstimates> keyEstimates(Connection connection, SplitColumn column, int splitCount)
            throws SQLException {
        return PostgresKeyStatistics.keyEstimates(connection, column, splitCount);
    }

    // ---------------------------------------------------------------- connections

    @Override
    public void configurePool(HikariConfig config, JdbcEndpoint endpoint) {
        super.configurePool(config, endpoint);
        // pgjdbc takes both timeouts in seconds; URL parameters still win over these.
        config.addDataSourceProperty("connectTimeout", Integer.toString(endpoint.connectTimeoutSeconds()));
        config.addDataSourceProperty("loginTimeout", Integer.toString(endpoint.connectTimeoutSeconds()));
        config.addDataSourceProperty("socketTimeout", Integer.toString(endpoint.socketTimeoutSeconds()));
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("ApplicationName", "ferry");
        // Conversions between timestamp and timestamptz on the server never depend on the JVM's zone.
        config.setConnectionInitSql("SET TIME ZONE 'UTC'");
    }

    @Override
    public void beginRead(Connection connection) throws SQLException {
        // pgjdbc streams through a cursor only inside a transaction and with a fetch size.
        connection.setAutoCommit(false);
    }

    @Override
    public void configureStreaming(PreparedStatement statement, int fetchSize) throws SQLException {
        super.configureStreaming(statement, fetchSize);
        // Binary transfer from the first execution: cheaper to produce on the server and to decode
        // here than text for integers, floats, timestamps and numerics.
        statement.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(-1);
    }

    @Override
    public BatchLoader openLoader(WritePlan plan, Connection connection, WriterContext context) throws SQLException {
        if (plan.mode() == WriteMode.INSERT && plan.fastPath()) {
            return new CopyLoader(this, plan, connection, context);
        }
        return super.openLoader(plan, connection, context);
    }

    // ---------------------------------------------------------------- snapshots

    @Override
    public String exportSnapshot(Connection coordinator) throws SQLException {
        coordinator.setAutoCommit(false);
        coordinator.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try (Statement statement = coordinator.createStatement();
             ResultSet rs = statement.executeQuery("SELECT pg_export_snapshot()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Override
    public void importSnapshot(Connection reader, String snapshotId) throws SQLException {
        if (!SNAPSHOT_ID.matcher(snapshotId).matches()) {
            throw new IllegalArgumentException("not a PostgreSQL snapshot id: '" + snapshotId + "'");
        }
        reader.setAutoCommit(false);
        reader.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try (Statement statement = reader.createStatement()) {
            statement.execute("SET TRANSACTION SNAPSHOT '" + snapshotId + "'");
        }
    }

    // ---------------------------------------------------------------- commits in doubt

    @Override
    public String transactionToken(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT txid_current()")) {
            rs.next();
            return Long.toString(rs.getLong(1));
        }
    }

    @Override
    public Boolean transactionCommitted(Connection other, String token) throws SQLException {
        try (PreparedStatement statement = other.prepareStatement("SELECT txid_status(?)")) {
            statement.setLong(1, Long.parseLong(token));
            try (ResultSet rs = statement.executeQuery()) {
                String status = rs.next() ? rs.getString(1) : null;
                return "committed".equals(status) ? Boolean.TRUE : "aborted".equals(status) ? Boolean.FALSE : null;
            }
        }
    }

    // ---------------------------------------------------------------- diagnostics and tests

    @Override
    public String sessionIdSql() {
        return "SELECT pg_backend_pid()";
    }

    /** The backend's pid as pgjdbc learnt it at connect time: no query, so it works mid-COPY. */
    @Override
    public long sessionId(Connection connection) throws SQLException {
        return connection.unwrap(org.postgresql.PGConnection.class).getBackendPID();
    }

    @Override
    public String killSessionSql(long sessionId) {
        return "SELECT pg_terminate_backend(" + sessionId + ")";
    }
}
