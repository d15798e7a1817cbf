package dev.ferry.connector.mariadb;

import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.connector.jdbc.ColumnReader;
import dev.ferry.connector.jdbc.GenericTypes;
import dev.ferry.connector.jdbc.TimeCodec;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;

/**
 * MariaDB and MySQL types through Connector/J 3, in the UTC session {@link MariaDbDialect} sets up.
 *
 * <ul>
 *   <li>MariaDB has no zoned timestamp type: a {@code TIMESTAMP} column (stored as UTC, shown in
 *       the session zone) is TIMESTAMPTZ, read and written as UTC wall time in the UTC session;
 *       {@code DATETIME} is TIMESTAMP.</li>
 *   <li>{@code BIGINT UNSIGNED} is DECIMAL (it does not fit a signed long); {@code YEAR} is INT64.</li>
 *   <li>Column definitions use MariaDB's limits: {@code decimal(65,30)} at most, {@code varchar}
 *       and {@code varbinary} up to their row-size limits, {@code longtext}/{@code longblob}
 *       beyond, {@code char(36)} for UUIDs, microsecond times.</li>
 * </ul>
 *
 * <p>The binlog capture ({@code capture.BinlogColumnType}) derives the same logical columns from
 * row events, so that a snapshot and the stream after it agree: a change here needs the same
 * change there.
 *
 * <p>Threading: immutable; safe to share.
 */
final class MariaDbTypes extends GenericTypes {

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
}
