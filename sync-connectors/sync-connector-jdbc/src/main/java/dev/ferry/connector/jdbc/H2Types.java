package dev.ferry.connector.jdbc;

import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * H2 2.x types: {@code UUID} read as text and declared back as {@code UUID}; JSON bound as UTF-8
 * bytes so H2 parses it instead of storing a JSON string; H2's own type names in column
 * definitions, with microsecond times and an unbounded {@code NUMERIC} wide enough for any value.
 *
 * <p>Threading: immutable; safe to share.
 */
final class H2Types extends GenericTypes {

    @Override
    protected DataType dataType(int jdbcType, String typeName, int precision, int scale) {
        if (typeName.equals("uuid")) {
            return DataType.STRING;
        }
        return super.dataType(jdbcType, typeName, precision, scale);
    }

    @Override
    protected void bindText(PreparedStatement statement, int index, String value, DbColumn target) throws SQLException {
        if (target.type() == DataType.JSON) {
            statement.setBytes(index, value.getBytes(StandardCharsets.UTF_8));
        } else {
            statement.setString(index, value);
        }
    }

    @Override
    public String columnDefinition(Column column) {
        int p = column.precision();
        if (column.nativeType().equals("uuid")) {
            return "UUID";
        }
        return switch (column.type()) {
            case STRING -> p > 0 ? "CHARACTER VARYING(" + p + ")" : "CHARACTER VARYING";
            case BYTES -> p > 0 ? "BINARY VARYING(" + p + ")" : "BINARY LARGE OBJECT";
            case DECIMAL -> p > 0 ? "NUMERIC(" + p + "," + column.scale() + ")" : "NUMERIC(100000, 50000)";
            case TIME -> "TIME(6)";
            case TIMESTAMP -> "TIMESTAMP(6)";
            case TIMESTAMPTZ -> "TIMESTAMP(6) WITH TIME ZONE";
            case JSON -> "JSON";
            default -> super.columnDefinition(column);
        };
    }
}
