package dev.ferry.connector.duckdb;

import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.RowBatch;
import dev.ferry.connector.jdbc.DbColumn;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.SQLException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.duckdb.DuckDBAppender;

/**
 * Appends one non-null value of a batch to the appender's current row, in the exact physical type
 * the target column has: DuckDB's appender converts nothing, and a value of the wrong type or an
 * out-of-range one leaves the row half built. So each value is first {@linkplain #problem checked}
 * (before the row is begun), then appended.
 *
 * <p>{@link #forPair} knows the pairs the appender can take without DuckDB parsing anything; for any
 * other pair it answers null and the plan is written with INSERT statements instead.
 *
 * <p>Threading: stateless; called by one writer thread.
 */
interface ValueAppender {

    /** Appends the value at {@code (row, column)} of the batch, which is not null and passed {@link #problem}. */
    void append(DuckDBAppender appender, RowBatch batch, int row, int column) throws SQLException;

    /** Why the value cannot go into the target column, or null when it can. Cheap for most pairs. */
    default String problem(RowBatch batch, int row, int column) {
        return null;
    }

    /** Whether {@link #problem} can ever answer something, so loaders skip the check otherwise. */
    default boolean checks() {
        return false;
    }

    /**
     * The appender for values of {@code source} written into {@code target}, or null when the
     * appender cannot take them as they are (text into a UUID or JSON column, a float into a
     * decimal, nanosecond timestamps…).
     */
    static ValueAppender forPair(Column source, DbColumn target) {
        String type = target.nativeType().toLowerCase(Locale.ROOT);
        DataType from = source.type();
        return switch (type) {
            case "boolean" -> from == DataType.BOOLEAN ? (a, b, r, c) -> a.append(b.getBoolean(r, c)) : null;
            case "bigint" -> from == DataType.INT64 ? (a, b, r, c) -> a.append(b.getLong(r, c)) : null;
            case "integer" -> from == DataType.INT64 ? new RangedInteger(Integer.MIN_VALUE, Integer.MAX_VALUE, "INTEGER",
                    (a, v) -> a.append((int) v)) : null;
            case "smallint" -> from == DataType.INT64 ? new RangedInteger(Short.MIN_VALUE, Short.MAX_VALUE, "SMALLINT",
                    (a, v) -> a.append((short) v)) : null;
            case "tinyint" -> from == DataType.INT64 ? new RangedInteger(Byte.MIN_VALUE, Byte.MAX_VALUE, "TINYINT",
                    (a, v) -> a.append((byte) v)) : null;
            case "double" -> from == DataType.FLOAT64 ? (a, b, r, c) -> a.append(b.getDouble(r, c)) : null;
            case "varchar" -> from == DataType.STRING ? (a, b, r, c) -> a.append((String) b.getObject(r, c)) : null;
            case "blob" -> from == DataType.BYTES ? (a, b, r, c) -> a.append((byte[]) b.getObject(r, c)) : null;
            case "date" -> from == DataType.DATE ? (a, b, r, c) -> a.appendEpochDays(Math.toIntExact(b.getLong(r, c))) : null;
            case "time" -> from == DataType.TIME ? (a, b, r, c) -> a.appendDayMicros(b.getLong(r, c) / 1000) : null;
            // Both are microseconds since 1970 and a zone-less timestamp is taken as UTC, as the
            // statement path binds it: never the JVM's zone.
            case "timestamp", "timestamp with time zone" -> from == DataType.TIMESTAMP || from == DataType.TIMESTAMPTZ
                    ? (a, b, r, c) -> a.appendEpochMicros(b.getLong(r, c)) : null;
            default -> from == DataType.DECIMAL ? Decimal.of(type) : null;
        };
    }

    /** An integer into a narrower integer column, range-checked first. */
    record RangedInteger(long min, long max, String typeName, NarrowAppend narrow) implements ValueAppender {

        /** Appends a long known to fit as the column's type. */
        @FunctionalInterface
        interface NarrowAppend {
            void append(DuckDBAppender appender, long value) throws SQLException;
        }

        @Override
        public void append(DuckDBAppender appender, RowBatch batch, int row, int column) throws SQLException {
            narrow.append(appender, batch.getLong(row, column));
        }

        @Override
        public String problem(RowBatch batch, int row, int column) {
            long value = batch.getLong(row, column);
            return value < min || value > max ? "value " + value + " is out of range for " + typeName : null;
        }

        @Override
        public boolean checks() {
            return true;
        }
    }

    /**
     * A decimal into a {@code DECIMAL(p,s)} column: rounded half up to the column's scale, as
     * DuckDB rounds a decimal it casts, and rejected when it then has more than {@code p} digits.
     */
    record Decimal(int precision, int scale) implements ValueAppender {

        private static final Pattern TYPE = Pattern.compile("decimal\\((\\d+),\\s*(\\d+)\\)");

        /** The appender for a column of this DuckDB type, or null when it is not a decimal. */
        static Decimal of(String type) {
            Matcher m = TYPE.matcher(type);
            return m.matches() ? new Decimal(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))) : null;
        }

        private BigDecimal scaled(RowBatch batch, int row, int column) {
            return ((BigDecimal) batch.getObject(row, column)).setScale(scale, RoundingMode.HALF_UP);
        }

        @Override
        public void append(DuckDBAppender appender, RowBatch batch, int row, int column) throws SQLException {
            appender.append(scaled(batch, row, column));
        }

        @Override
        public String problem(RowBatch batch, int row, int column) {
            BigDecimal value = scaled(batch, row, column);
            return value.precision() > precision ? "value " + batch.getObject(row, column).toString()
                    + " is out of range for DECIMAL(" + precision + "," + scale + ")" : null;
        }

        @Override
        public boolean checks() {
            return true;
        }
    }
}
