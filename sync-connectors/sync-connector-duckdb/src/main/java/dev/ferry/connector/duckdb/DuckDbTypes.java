package dev.ferry.connector.duckdb;

import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.connector.jdbc.DbColumn;
import dev.ferry.connector.jdbc.GenericTypes;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;

/**
 * DuckDB types through its JDBC driver, read and bound as {@link GenericTypes} does (JDBC 4.2
 * {@code java.time} values), with these differences:
 *
 * <ul>
 *   <li>{@code HUGEINT}, {@code UBIGINT} and {@code UHUGEINT} do not fit a signed long: they are
 *       DECIMAL with as many digits as their range needs (39, 20, 39; the driver reports fewer).</li>
 *   <li>{@code BIT} is a bit string, read as its text (the JDBC type BIT would make it a boolean);
 *       {@code UUID}, {@code INTERVAL}, {@code TIME WITH TIME ZONE}, {@code ENUM}, lists, structs
 *       and maps are read as text too.</li>
 *   <li>Column definitions use DuckDB's names: {@code VARCHAR} without a length (DuckDB does not
 *       enforce one), {@code BLOB}, {@code TIMESTAMP WITH TIME ZONE}, {@code JSON}, {@code UUID}
 *       for a column that was a UUID at the source, and {@code DECIMAL(p,s)} up to DuckDB's 38
 *       digits; a wider or unbounded decimal becomes {@value #WIDEST_DECIMAL}, whose values DuckDB
 *       rounds to 10 decimal places and rejects beyond 28 integer digits.</li>
 * </ul>
 *
 * <p>Sessions run in UTC ({@link DuckDbDialect}), so text DuckDB parses into a zoned timestamp and
 * zoned timestamps it prints never depend on the JVM's zone.
 *
 * <p>Threading: immutable; safe to share.
 */
final class DuckDbTypes extends GenericTypes {

    /** DuckDB's widest decimal, for decimals wider than 38 digits or without a declared precision. */
    static final String WIDEST_DECIMAL = "DECIMAL(38,10)";
    private static final int MAX_PRECISION = 38;

    @Override
    protected DataType dataType(int jdbcType, String typeName, int precision, int scale) {
        return switch (typeName) {
            case "hugeint", "ubigint", "uhugeint" -> DataType.DECIMAL;
            case "bit" -> DataType.STRING;
            default -> super.dataType(jdbcType, typeName, precision, scale);
        };
    }

    @Override
    public DbColumn column(ResultSetMetaData metaData, int index) throws SQLException {
        DbColumn described = super.column(metaData, index);
        Column c = described.column();
        int digits = switch (c.nativeType()) {
            case "hugeint", "uhugeint" -> 39;
            case "ubigint" -> 20;
            default -> 0;
        };
        if (digits == 0) {
            return described;
        }
        return new DbColumn(new Column(c.name(), c.type(), c.nullable(), digits, 0, c.nativeType()), described.jdbcType());
    }

    @Override
    public String columnDefinition(Column column) {
        int p = column.precision();
        return switch (column.type()) {
            case DECIMAL -> p > 0 && p <= MAX_PRECISION ? "DECIMAL(" + p + "," + column.scale() + ")" : WIDEST_DECIMAL;
            case FLOAT64 -> "DOUBLE";
            case STRING -> column.nativeType().equals("uuid") ? "UUID" : "VARCHAR";
            case BYTES -> "BLOB";
            case JSON -> "JSON";
            case NULL -> "VARCHAR";
            default -> super.columnDefinition(column);
        };
    }
}
