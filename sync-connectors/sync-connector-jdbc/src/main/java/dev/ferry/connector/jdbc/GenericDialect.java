package dev.ferry.connector.jdbc;

import com.zaxxer.hikari.HikariConfig;
import dev.ferry.api.WriterContext;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.RowBatch;
import dev.ferry.api.data.TableSchema;
import java.math.BigDecimal;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;

/**
 * Standard SQL and plain JDBC: the dialect of the generic {@code jdbc} connector and the base
 * that each database's dialect refines. Identifiers are quoted with double quotes, upserts use
 * SQL:2003 {@code MERGE}, values are bound with JDBC 4.2 {@code java.time} objects, and split
 * planning streams the ordered keys (no OFFSET clause assumed).
 *
 * <p>Threading: immutable; safe to share.
 */
public class GenericDialect implements Dialect {

    private static final int UNBOUNDED = Integer.MAX_VALUE / 2;

    private final String name;
    private final String urlPrefix;

    /** The generic {@code jdbc} dialect, for any URL. */
    public GenericDialect() {
        this("jdbc", "jdbc:");
    }

    /**
     * @param name      the connector's name
     * @param urlPrefix the prefix every accepted URL starts with, e.g. {@code "jdbc:h2:"}
     */
    protected GenericDialect(String name, String urlPrefix) {
        this.name = name;
        this.urlPrefix = urlPrefix;
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

    // ---------------------------------------------------------------- identifiers

    @Override
    public String quoteIdentifier(String identifier) {
        return quote(identifier, '"');
    }

    /** Wraps the identifier in {@code quote}, doubling any quote inside; rejects NUL. */
    protected static String quote(String identifier, char quote) {
        if (identifier.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("identifier must not contain a NUL character");
        }
        StringBuilder sb = new StringBuilder(identifier.length() + 2).append(quote);
        for (int i = 0; i < identifier.length(); i++) {
            char c = identifier.charAt(i);
            if (c == quote) {
                sb.append(quote);
            }
            sb.append(c);
        }
        return sb.append(quote).toString();
    }

    @Override
    public boolean backslashEscapes() {
        return false;
    }

    @Override
    public List<String> nameCandidates(String name) {
        Set<String> candidates = new LinkedHashSet<>();
        candidates.add(name);
        candidates.add(name.toLowerCase(Locale.ROOT));
        candidates.add(name.toUpperCase(Locale.ROOT));
        return List.copyOf(candidates);
    }

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

    // ---------------------------------------------------------------- types: database to logical

    @Override
    public DbColumn column(ResultSetMetaData metaData, int index) throws SQLException {
        String label = metaData.getColumnLabel(index);
        if (label == null || label.isEmpty()) {
            label = metaData.getColumnName(index);
        }
        if (label == null || label.isEmpty()) {
            label = "column" + index;
        }
        int jdbcType = metaData.getColumnType(index);
        String typeName = metaData.getColumnTypeName(index);
        typeName = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
        int precision = metaData.getPrecision(index);
        int scale = metaData.getScale(index);
        boolean nullable = metaData.isNullable(index) != ResultSetMetaData.columnNoNulls;
        DataType type = dataType(jdbcType, typeName, precision, scale);
        int columnPrecision = 0;
        int columnScale = 0;
        switch (type) {
            case DECIMAL -> {
                if (precision > 0 && precision <= 1000) {
                    columnPrecision = precision;
                    columnScale = Math.max(0, Math.min(scale, precision));
                }
            }
            case STRING, BYTES -> columnPrecision = precision > 0 && precision < UNBOUNDED ? precision : 0;
            case TIME, TIMESTAMP, TIMESTAMPTZ -> columnPrecision = scale > 0 && scale <= 9 ? scale : 0;
            default -> {
            }
        }
        return new DbColumn(new Column(label, type, nullable, columnPrecision, columnScale, typeName), jdbcType);
    }

    /**
     * The logical type of a column the driver describes. Dialects override it for types their
     * driver reports in a non-standard way and call it for the rest.
     *
     * @param typeName the database's type name in lower case
     */
    protected DataType dataType(int jdbcType, String typeName, int precision, int scale) {
        if (typeName.equals("json") || typeName.equals("jsonb")) {
            return DataType.JSON;
        }
        if (typeName.equals("uuid")) {
            return DataType.STRING;
        }
        return switch (jdbcType) {
            case Types.BIT -> precision > 1 ? DataType.INT64 : DataType.BOOLEAN;
            case Types.BOOLEAN -> DataType.BOOLEAN;
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> DataType.INT64;
            case Types.NUMERIC, Types.DECIMAL -> DataType.DECIMAL;
            case Types.REAL, Types.FLOAT, Types.DOUBLE -> DataType.FLOAT64;
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> DataType.BYTES;
            case Types.DATE -> DataType.DATE;
            case Types.TIME -> DataType.TIME;
            case Types.TIMESTAMP -> DataType.TIMESTAMP;
            case Types.TIMESTAMP_WITH_TIMEZONE -> DataType.TIMESTAMPTZ;
            // Everything else (text, arrays, intervals, enums, XML, zoned times) travels as its text.
            default -> DataType.STRING;
        };
    }

    @Override
    public ColumnReader reader(DbColumn column) {
        return switch (column.type()) {
            case BOOLEAN -> (rs, i, sink, c) -> {
                boolean v = rs.getBoolean(i);
                if (rs.wasNull()) {
                    sink.setNull(c);
                } else {
                    sink.setBoolean(c, v);
                }
            };
            case INT64 -> (rs, i, sink, c) -> {
                long v = rs.getLong(i);
                if (rs.wasNull()) {
                    sink.setNull(c);
                } else {
                    sink.setLong(c, v);
                }
            };
            case FLOAT64 -> (rs, i, sink, c) -> {
                double v = rs.getDouble(i);
                if (rs.wasNull()) {
                    sink.setNull(c);
                } else {
                    sink.setDouble(c, v);
                }
            };
            case DECIMAL -> (rs, i, sink, c) -> sink.setObject(c, rs.getBigDecimal(i));
            case STRING, JSON -> (rs, i, sink, c) -> sink.setObject(c, rs.getString(i));
            case BYTES -> (rs, i, sink, c) -> sink.setObject(c, rs.getBytes(i));
            case DATE -> (rs, i, sink, c) -> {
                LocalDate v = rs.getObject(i, LocalDate.class);
                if (v == null) {
                    sink.setNull(c);
                } else {
                    sink.setLong(c, v.toEpochDay());
                }
            };
            case TIME -> (rs, i, sink, c) -> {
                LocalTime v = rs.getObject(i, LocalTime.class);
                if (v == null) {
                    sink.setNull(c);
                } else {
                    sink.setLong(c, v.toNanoOfDay());
                }
            };
            case TIMESTAMP -> (rs, i, sink, c) -> {
                LocalDateTime v = rs.getObject(i, LocalDateTime.class);
                if (v == null) {
                    sink.setNull(c);
                } else {
                    sink.setLong(c, TimeCodec.micros(v));
                }
            };
            case TIMESTAMPTZ -> timestampTzReader();
            case NULL -> (rs, i, sink, c) -> sink.setNull(c);
        };
    }

    /** Reads a zoned timestamp as UTC micros; the standard way is {@code OffsetDateTime}. */
    protected ColumnReader timestampTzReader() {
        return (rs, i, sink, c) -> {
            OffsetDateTime v = rs.getObject(i, OffsetDateTime.class);
            if (v == null) {
                sink.setNull(c);
            } else {
                sink.setLong(c, TimeCodec.micros(v));
            }
        };
    }

    // ---------------------------------------------------------------- types: logical to database

    @Override
    public ValueBinder binder(Column source, DbColumn target) {
        DataType from = source.type();
        DataType to = target.type();
        if (from == to) {
            return nativeBinder(from, target);
        }
        if (from == DataType.TIMESTAMP && to == DataType.TIMESTAMPTZ) {
            // A zone-less timestamp is taken as UTC: the same micros, never the JVM's zone.
            return nativeBinder(DataType.TIMESTAMPTZ, target);
        }
        if (from == DataType.TIMESTAMPTZ && to == DataType.TIMESTAMP) {
            return nativeBinder(DataType.TIMESTAMP, target);
        }
        if (from == DataType.INT64 && (to == DataType.DECIMAL || to == DataType.FLOAT64)) {
            return nativeBinder(DataType.INT64, target);
        }
        if (from == DataType.BOOLEAN && to == DataType.INT64) {
            return (ps, i, b, r, c) -> ps.setLong(i, b.getBoolean(r, c) ? 1 : 0);
        }
        if (from == DataType.BYTES) {
            return (ps, i, b, r, c) -> ps.setBytes(i, (byte[]) b.getObject(r, c));
        }
        if (from == DataType.STRING && to == DataType.JSON || from == DataType.JSON && to == DataType.STRING) {
            return (ps, i, b, r, c) -> bindText(ps, i, (String) b.getObject(r, c), target);
        }
        // Different types meet through text: the database parses it and rejects what does not fit.
        return (ps, i, b, r, c) -> bindText(ps, i, text(b, r, c, from, to), target);
    }

    /** Binds a value whose type matches the target's. */
    protected ValueBinder nativeBinder(DataType type, DbColumn target) {
        return switch (type) {
            case BOOLEAN -> (ps, i, b, r, c) -> ps.setBoolean(i, b.getBoolean(r, c));
            case INT64 -> (ps, i, b, r, c) -> ps.setLong(i, b.getLong(r, c));
            case FLOAT64 -> (ps, i, b, r, c) -> ps.setDouble(i, b.getDouble(r, c));
            case DECIMAL -> (ps, i, b, r, c) -> ps.setBigDecimal(i, (BigDecimal) b.getObject(r, c));
            case STRING, JSON -> (ps, i, b, r, c) -> bindText(ps, i, (String) b.getObject(r, c), target);
            case BYTES -> (ps, i, b, r, c) -> ps.setBytes(i, (byte[]) b.getObject(r, c));
            case DATE -> (ps, i, b, r, c) -> ps.setObject(i, TimeCodec.localDate(b.getLong(r, c)));
            case TIME -> (ps, i, b, r, c) -> ps.setObject(i, TimeCodec.localTime(b.getLong(r, c)));
            case TIMESTAMP -> (ps, i, b, r, c) -> ps.setObject(i, TimeCodec.localDateTime(b.getLong(r, c)));
            case TIMESTAMPTZ -> (ps, i, b, r, c) -> bindTimestampTz(ps, i, b.getLong(r, c));
            case NULL -> (ps, i, b, r, c) -> bindNull(ps, i, target);
        };
    }

    /** Binds text for a target column; dialects bind text for non-text columns their own way. */
    protected void bindText(PreparedStatement statement, int index, String value, DbColumn target) throws SQLException {
        statement.setString(index, value);
    }

    /** Binds UTC micros for a zoned-timestamp column. */
    protected void bindTimestampTz(PreparedStatement statement, int index, long micros) throws SQLException {
        statement.setObject(index, TimeCodec.offsetDateTime(micros));
    }

    /** The value's text form, as the target database parses it. */
    protected String text(RowBatch batch, int row, int column, DataType from, DataType to) {
        return switch (from) {
            case STRING, JSON -> (String) batch.getObject(row, column);
            case INT64 -> Long.toString(batch.getLong(row, column));
            case FLOAT64 -> Double.toString(batch.getDouble(row, column));
            case DECIMAL -> ((BigDecimal) batch.getObject(row, column)).toPlainString();
            case BOOLEAN -> batch.getBoolean(row, column) ? "true" : "false";
            case DATE -> TimeCodec.dateText(batch.getLong(row, column));
            case TIME -> TimeCodec.timeText(batch.getLong(row, column));
            case TIMESTAMP -> TimeCodec.timestampText(batch.getLong(row, column), false);
            case TIMESTAMPTZ -> TimeCodec.timestampText(batch.getLong(row, column), to != DataType.DATE);
            case BYTES, NULL -> String.valueOf(batch.getObject(row, column));
        };
    }

    @Override
    public void bindNull(PreparedStatement statement, int index, DbColumn target) throws SQLException {
        statement.setNull(index, target.jdbcType());
    }

    @Override
    public String columnDefinition(Column column) {
        int p = column.precision();
        return switch (column.type()) {
            case BOOLEAN -> "BOOLEAN";
            case INT64 -> "BIGINT";
            case DECIMAL -> p > 0 ? "NUMERIC(" + p + "," + column.scale() + ")" : "NUMERIC";
            case FLOAT64 -> "DOUBLE PRECISION";
            case STRING -> p > 0 ? "VARCHAR(" + p + ")" : "CLOB";
            case BYTES -> p > 0 ? "VARBINARY(" + p + ")" : "BLOB";
            case DATE -> "DATE";
            case TIME -> "TIME";
            case TIMESTAMP -> "TIMESTAMP";
            case TIMESTAMPTZ -> "TIMESTAMP WITH TIME ZONE";
            case JSON -> "CLOB";
            case NULL -> "VARCHAR(1)";
        };
    }

    // ---------------------------------------------------------------- SQL

    @Override
    public String insertSql(String quotedTable, List<String> columns) {
        StringBuilder sb = new StringBuilder("INSERT INTO ").append(quotedTable).append(" (");
        appendColumns(sb, columns);
        sb.append(") VALUES (");
        appendPlaceholders(sb, columns.size());
        return sb.append(')').toString();
    }

    @Override
    public String upsertSql(String quotedTable, List<String> columns, List<String> keyColumns) {
        StringBuilder sb = new StringBuilder("MERGE INTO ").append(quotedTable).append(" ferry_t USING (VALUES (");
        appendPlaceholders(sb, columns.size());
        sb.append(")) ferry_s (");
        appendColumns(sb, columns);
        sb.append(") ON ");
        for (int i = 0; i < keyColumns.size(); i++) {
            String key = quoteIdentifier(keyColumns.get(i));
            sb.append(i == 0 ? "" : " AND ").append("ferry_t.").append(key).append(" = ferry_s.").append(key);
        }
        List<String> set = nonKey(columns, keyColumns);
        if (!set.isEmpty()) {
            sb.append(" WHEN MATCHED THEN UPDATE SET ");
            for (int i = 0; i < set.size(); i++) {
                String column = quoteIdentifier(set.get(i));
                sb.append(i == 0 ? "" : ", ").append(column).append(" = ferry_s.").append(column);
            }
        }
        sb.append(" WHEN NOT MATCHED THEN INSERT (");
        appendColumns(sb, columns);
        sb.append(") VALUES (");
        for (int i = 0; i < columns.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append("ferry_s.").append(quoteIdentifier(columns.get(i)));
        }
        return sb.append(')').toString();
    }

    @Override
    public String updateSql(String quotedTable, List<String> setColumns, List<String> keyColumns) {
        StringBuilder sb = new StringBuilder("UPDATE ").append(quotedTable).append(" SET ");
        for (int i = 0; i < setColumns.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(quoteIdentifier(setColumns.get(i))).append(" = ?");
        }
        sb.append(" WHERE ");
        for (int i = 0; i < keyColumns.size(); i++) {
            sb.append(i == 0 ? "" : " AND ").append(quoteIdentifier(keyColumns.get(i))).append(" = ?");
        }
        return sb.toString();
    }

    @Override
    public String truncateSql(String quotedTable) {
        // DELETE works everywhere; dialects whose TRUNCATE is transactional or cheap override it.
        return "DELETE FROM " + quotedTable;
    }

    @Override
    public String deleteSql(String quotedTable, List<String> keyColumns) {
        StringBuilder sb = new StringBuilder("DELETE FROM ").append(quotedTable).append(" WHERE ");
        for (int i = 0; i < keyColumns.size(); i++) {
            sb.append(i == 0 ? "" : " AND ").append(quoteIdentifier(keyColumns.get(i))).append(" = ?");
        }
        return sb.toString();
    }

    @Override
    public String addColumnSql(String quotedTable, Column column) {
        return "ALTER TABLE " + quotedTable + " ADD COLUMN " + quoteIdentifier(column.name()) + " "
                + columnDefinition(column);
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
    public String createTableSql(String quotedTable, TableSchema schema) {
        StringBuilder sb = new StringBuilder("CREATE TABLE ").append(quotedTable).append(" (");
        for (int i = 0; i < schema.arity(); i++) {
            Column column = schema.column(i);
            sb.append(i == 0 ? "" : ", ").append(quoteIdentifier(column.name())).append(' ')
                    .append(columnDefinition(column));
            if (!column.nullable() || schema.primaryKey().contains(column.name())) {
                sb.append(" NOT NULL");
            }
        }
        if (!schema.primaryKey().isEmpty()) {
            sb.append(", PRIMARY KEY (");
            appendColumns(sb, schema.primaryKey());
            sb.append(')');
        }
        return sb.append(')').toString();
    }

    @Override
    public boolean isUndefinedTable(SQLException error) {
        for (SQLException e = error; e != null; e = e.getNextException()) {
            String state = e.getSQLState();
            if ("42S02".equals(state) || "42S03".equals(state) || "42S04".equals(state) || "42P01".equals(state) || "3F000".equals(state) || "42Y07".equals(state)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public long estimateRows(Connection connection, TableName table) throws SQLException {
        return -1;
    }

    @Override
    public String skipAndTakeOne(long offset) {
        return null;
    }

    /** Appends the quoted column names separated by commas. */
    protected void appendColumns(StringBuilder sb, List<String> columns) {
        for (int i = 0; i < columns.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(quoteIdentifier(columns.get(i)));
        }
    }

    protected static void appendPlaceholders(StringBuilder sb, int count) {
        for (int i = 0; i < count; i++) {
            sb.append(i == 0 ? "?" : ", ?");
        }
    }

    /** The columns that are not keys, in order. */
    protected static List<String> nonKey(List<String> columns, List<String> keyColumns) {
        List<String> result = new ArrayList<>();
        for (String column : columns) {
            if (!keyColumns.contains(column)) {
                result.add(column);
            }
        }
        return result;
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
    public void configureStreaming(PreparedStatement statement, int fetchSize) throws SQLException {
        statement.setFetchSize(fetchSize);
    }

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

    // ---------------------------------------------------------------- errors

    @Override
    public boolean isRetriable(SQLException error) {
        for (Throwable t = error; t != null; t = next(t)) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException || t instanceof SQLTransactionRollbackException) {
                return true;
            }
            if (t instanceof SQLException sql && isRetriableState(sql)) {
                return true;
            }
            if (t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }

    /** Connection exceptions (class 08) and serialization failures. */
    protected boolean isRetriableState(SQLException error) {
        String state = error.getSQLState();
        return state != null && (state.startsWith("08") || state.equals("40001"));
    }

    @Override
    public boolean isDataError(SQLException error) {
        for (Throwable t = error; t != null; t = next(t)) {
            if (t instanceof SQLException sql && isDataErrorState(sql)) {
                return true;
            }
        }
        return false;
    }

    /** Data exceptions (class 22) and integrity constraint violations (class 23). */
    protected boolean isDataErrorState(SQLException error) {
        String state = error.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    /** The next exception in a chain: {@code getNextException} for SQL errors, else the cause. */
    protected static Throwable next(Throwable t) {
        if (t instanceof SQLException sql && sql.getNextException() != null && sql.getNextException() != t) {
            return sql.getNextException();
        }
        return t.getCause() == t ? null : t.getCause();
    }

    @Override
    public String describe(SQLException error) {
        SQLException reported = error;
        if (error instanceof BatchUpdateException && error.getNextException() != null) {
            reported = error.getNextException();
        }
        String message = reported.getMessage() == null ? reported.getClass().getSimpleName() : reported.getMessage().strip();
        // Name the network failure behind an I/O error (a read timeout, a reset connection).
        for (Throwable t = reported.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof java.io.IOException) {
                message += " (" + t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage()) + ")";
                break;
            }
        }
        return reported.getSQLState() == null ? message : message + " [SQLState " + reported.getSQLState() + "]";
    }

    @Override
    public String sessionIdSql() {
        return null;
    }

    @Override
    public String killSessionSql(long sessionId) {
        return null;
    }
}
