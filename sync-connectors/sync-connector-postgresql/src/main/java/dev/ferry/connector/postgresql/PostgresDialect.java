package dev.ferry.connector.postgresql;

import com.zaxxer.hikari.HikariConfig;
import dev.ferry.api.WriterContext;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.connector.jdbc.BatchLoader;
import dev.ferry.connector.jdbc.DbColumn;
import dev.ferry.connector.jdbc.GenericDialect;
import dev.ferry.connector.jdbc.JdbcEndpoint;
import dev.ferry.connector.jdbc.SnapshotExport;
import dev.ferry.connector.jdbc.WriteMode;
import dev.ferry.connector.jdbc.WritePlan;
import dev.ferry.connector.jdbc.ValueBinder;
import dev.ferry.connector.jdbc.TimeCodec;
import dev.ferry.api.data.RowBatch;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * PostgreSQL (pgjdbc): double-quoted identifiers folded to lower case; {@code timestamptz} read as
 * {@code OffsetDateTime}; text bound to non-text columns (uuid, json, jsonb, enums…) with an
 * unspecified type so the server casts it; {@code INSERT … ON CONFLICT … DO UPDATE} upserts;
 * {@code COPY … FROM STDIN} inserts ({@link CopyLoader}); cursors (a transaction plus a fetch
 * size) for streaming; exported snapshots for consistent parallel reads; sessions in UTC.
 */
public final class PostgresDialect extends GenericDialect implements SnapshotExport {

    private static final Set<String> TEXT_TYPES = Set.of("text", "varchar", "bpchar", "char", "name", "citext",
            "character varying", "character");
    private static final Pattern SNAPSHOT_ID = Pattern.compile("[0-9A-Fa-f]+(-[0-9A-Fa-f]+)*");

    private final CopyFormat copyFormat;

    /** The dialect with binary COPY where possible. */
    public PostgresDialect() {
        this(CopyFormat.BINARY);
    }

    PostgresDialect(CopyFormat copyFormat) {
        super("postgresql", "jdbc:postgresql:");
        this.copyFormat = copyFormat;
    }

    CopyFormat copyFormat() {
        return copyFormat;
    }

    @Override
    public String urlExample() {
        return "jdbc:postgresql://127.0.0.1:5432/test";
    }

    // ---------------------------------------------------------------- types

    @Override
    protected DataType dataType(int jdbcType, String typeName, int precision, int scale) {
        return switch (typeName) {
            case "timestamptz" -> DataType.TIMESTAMPTZ;
            case "timestamp" -> DataType.TIMESTAMP;
            // pgjdbc reports these with types whose getters cannot read them faithfully.
            case "timetz", "money", "interval" -> DataType.STRING;
            case "bool" -> DataType.BOOLEAN;
            default -> super.dataType(jdbcType, typeName, precision, scale);
        };
    }

    /**
     * As described, except that an array or an interval has no length: pgjdbc's precision for
     * them (its element's, or 49) is a display size, which their text can exceed, not a maximum.
     */
    @Override
    public DbColumn column(ResultSetMetaData metaData, int index) throws SQLException {
        DbColumn described = super.column(metaData, index);
        Column c = described.column();
        if (c.type() == DataType.STRING && c.precision() > 0 && !lengthBoundsText(c.nativeType())) {
            return new DbColumn(new Column(c.name(), c.type(), c.nullable(), 0, 0, c.nativeType()), described.jdbcType());
        }
        return described;
    }

    /** Whether the precision pgjdbc reports for a text-read type is a maximum length of its text. */
    private static boolean lengthBoundsText(String nativeType) {
        return !nativeType.startsWith("_") && !nativeType.equals("interval");
    }

    @Override
    protected void bindText(PreparedStatement statement, int index, String value, DbColumn target) throws SQLException {
        if (isText(target)) {
            statement.setString(index, value);
        } else {
            // Unspecified type: the server parses the text as the column's type (uuid, jsonb, enum…)
            // and rejects what does not fit.
            statement.setObject(index, value, Types.OTHER);
        }
    }

    /**
     * Dates and timestamps are bound as text in PostgreSQL's own form: pgjdbc turns
     * {@code java.time} values beyond PostgreSQL's range into {@code -infinity}/{@code infinity}
     * without a word, which would be a silent change; as text, the server rejects them instead.
     */
    @Override
    protected ValueBinder nativeBinder(DataType type, DbColumn target) {
        if (type == DataType.BOOLEAN && target.nativeType().equals("bit")) {
            // A bit(1) column is BOOLEAN, but the server casts no boolean to bit: send its digit.
            return (ps, i, b, r, c) -> ps.setObject(i, b.getBoolean(r, c) ? "1" : "0", Types.OTHER);
        }
        return switch (type) {
            case DATE -> (ps, i, b, r, c) -> ps.setObject(i, dateText(b.getLong(r, c)), Types.OTHER);
            case TIMESTAMP -> (ps, i, b, r, c) -> ps.setObject(i, timestampText(b.getLong(r, c), false), Types.OTHER);
            case TIMESTAMPTZ -> (ps, i, b, r, c) -> ps.setObject(i, timestampText(b.getLong(r, c), true), Types.OTHER);
            default -> super.nativeBinder(type, target);
        };
    }

    @Override
    protected String text(RowBatch batch, int row, int column, DataType from, DataType to) {
        return switch (from) {
            case DATE -> dateText(batch.getLong(row, column));
            case TIMESTAMP -> timestampText(batch.getLong(row, column), false);
            case TIMESTAMPTZ -> timestampText(batch.getLong(row, column), to != DataType.DATE);
            default -> super.text(batch, row, column, from, to);
        };
    }

    /** {@code 2024-02-29}, or {@code 0044-03-15 BC} for years before 1. */
    static String dateText(long epochDay) {
        StringBuilder sb = new StringBuilder(16);
        boolean bc = appendDay(sb, LocalDate.ofEpochDay(epochDay));
        return bc ? sb.append(" BC").toString() : sb.toString();
    }

    /** {@code 2024-02-29 13:45:07.123456}, with {@code +00} when {@code utc}, and {@code BC} for years before 1. */
    static String timestampText(long micros, boolean utc) {
        StringBuilder sb = new StringBuilder(36);
        LocalDateTime value = TimeCodec.localDateTime(micros);
        boolean bc = appendDay(sb, value.toLocalDate());
        sb.append(' ');
        TimeCodec.appendTime(sb, value.toLocalTime().toNanoOfDay());
        if (utc) {
            sb.append("+00");
        }
        return bc ? sb.append(" BC").toString() : sb.toString();
    }

    private static boolean appendDay(StringBuilder sb, LocalDate date) {
        int year = date.getYear();
        boolean bc = year <= 0;
        String shown = Integer.toString(bc ? 1 - year : year);
        sb.append("0000", 0, Math.max(0, 4 - shown.length())).append(shown).append('-');
        int month = date.getMonthValue();
        int day = date.getDayOfMonth();
        sb.append(month < 10 ? "0" : "").append(month).append('-').append(day < 10 ? "0" : "").append(day);
        return bc;
    }

    static boolean isText(DbColumn column) {
        return TEXT_TYPES.contains(column.nativeType());
    }

    @Override
    public void bindNull(PreparedStatement statement, int index, DbColumn target) throws SQLException {
        statement.setNull(index, isText(target) ? Types.VARCHAR : Types.OTHER);
    }

    @Override
    public String columnDefinition(Column column) {
        int p = column.precision();
        String nativeType = column.nativeType();
        return switch (column.type()) {
            case BOOLEAN -> "boolean";
            case INT64 -> "bigint";
            case DECIMAL -> p > 0 ? "numeric(" + p + "," + column.scale() + ")" : "numeric";
            case FLOAT64 -> "double precision";
            case STRING -> nativeType.equals("uuid") ? "uuid" : p > 0 && p <= 10_485_760 ? "varchar(" + p + ")" : "text";
            case BYTES -> "bytea";
            case DATE -> "date";
            case TIME -> "time";
            case TIMESTAMP -> "timestamp";
            case TIMESTAMPTZ -> "timestamptz";
            case JSON -> nativeType.equals("json") ? "json" : "jsonb";
            case NULL -> "text";
        };
    }

    // ---------------------------------------------------------------- SQL

    @Override
    public String upsertSql(String quotedTable, List<String> columns, List<String> keyColumns) {
        StringBuilder sb = new StringBuilder(insertSql(quotedTable, columns)).append(" ON CONFLICT (");
        appendColumns(sb, keyColumns);
        sb.append(')');
        List<String> set = nonKey(columns, keyColumns);
        if (set.isEmpty()) {
            return sb.append(" DO NOTHING").toString();
        }
        sb.append(" DO UPDATE SET ");
        for (int i = 0; i < set.size(); i++) {
            String column = quoteIdentifier(set.get(i));
            sb.append(i == 0 ? "" : ", ").append(column).append(" = EXCLUDED.").append(column);
        }
        return sb.toString();
    }

    @Override
    public String truncateSql(String quotedTable) {
        return "TRUNCATE TABLE " + quotedTable;
    }

    /** {@code COPY table (columns) FROM STDIN} in text format. */
    String copySql(String quotedTable, List<DbColumn> columns) {
        StringBuilder sb = new StringBuilder("COPY ").append(quotedTable).append(" (");
        for (int i = 0; i < columns.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(quoteIdentifier(columns.get(i).name()));
        }
        return sb.append(") FROM STDIN").toString();
    }

    @Override
    public long estimateRows(Connection connection, dev.ferry.connector.jdbc.TableName table) throws SQLException {
        // to_regclass: a missing table yields NULL, never an error that would abort a snapshot transaction.
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(?)")) {
            statement.setString(1, quoteTable(table));
            try (ResultSet rs = statement.executeQuery()) {
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

    // ---------------------------------------------------------------- errors

    @Override
    protected boolean isRetriableState(SQLException error) {
        String state = error.getSQLState();
        if (state == null) {
            return false;
        }
        return super.isRetriableState(error)
                || state.equals("40P01")   // deadlock detected
                || state.equals("57P01")   // admin_shutdown: pg_terminate_backend, fast shutdown
                || state.equals("57P02")   // crash_shutdown
                || state.equals("57P03")   // cannot_connect_now: starting up
                || state.equals("53300");  // too_many_connections
    }

    @Override
    protected boolean isDataErrorState(SQLException error) {
        // 54000 program_limit_exceeded: a value too big for an index row.
        return super.isDataErrorState(error) || "54000".equals(error.getSQLState());
    }

    @Override
    public String sessionIdSql() {
        return "SELECT pg_backend_pid()";
    }

    @Override
    public String killSessionSql(long sessionId) {
        return "SELECT pg_terminate_backend(" + sessionId + ")";
    }
}
