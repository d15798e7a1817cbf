package dev.ferry.connector.jdbc;

import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.RowBatch;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Locale;

/**
 * Standard JDBC type mapping: the one of the generic {@code jdbc} connector and the base that each
 * database's mapping refines. Logical types follow the JDBC type the driver reports (JSON and UUID
 * recognised by their names, everything unknown read as text), values are read and bound as JDBC
 * 4.2 {@code java.time} objects, and columns are declared with SQL standard type names.
 *
 * <p>Subclasses override the protected hooks ({@link #dataType}, {@link #timestampTzReader},
 * {@link #nativeBinder}, {@link #bindText}, {@link #bindTimestampTz}, {@link #text}) for what their
 * driver does differently and call them for the rest. The hooks are called when a reader or binder
 * is chosen, except {@code bindText}, {@code bindTimestampTz} and {@code text}, which the chosen
 * binders call per value and must therefore stay cheap.
 *
 * <p>Threading: immutable; safe to share.
 */
public class GenericTypes implements TypeMapping {

    private static final int UNBOUNDED = Integer.MAX_VALUE / 2;

    /** The standard mapping. */
    public GenericTypes() {
    }

    // ---------------------------------------------------------------- database to logical

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
     * The logical type of a column the driver describes. Mappings override it for types their
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

    // ---------------------------------------------------------------- logical to database

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

    /** Binds text for a target column; mappings bind text for non-text columns their own way. */
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
}
