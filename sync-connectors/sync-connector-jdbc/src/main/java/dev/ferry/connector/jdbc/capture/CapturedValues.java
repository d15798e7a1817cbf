package dev.ferry.connector.jdbc.capture;

import dev.ferry.api.data.DataType;
import dev.ferry.api.data.RecordSink;
import dev.ferry.connector.jdbc.TimeCodec;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Objects;

/**
 * Puts a value read back from a {@link RowImage} into a record as the column's logical type
 * wants it, with the conversions the H2 batch reader applies to the same column
 * ({@link dev.ferry.connector.jdbc.GenericTypes#reader}): integers as longs, REAL widened to
 * double, dates as epoch days, times as nanoseconds of the day, timestamps as microseconds since
 * the epoch (a zoned one at its UTC instant), JSON as its text. A streamed change therefore
 * carries exactly the values a copy of the same row carries.
 *
 * <p>Threading: stateless.
 */
final class CapturedValues {

    private CapturedValues() {
    }

    /**
     * @throws IllegalArgumentException when the value cannot be a value of that type (the column's
     *         type changed since the change was written)
     */
    static void set(RecordSink sink, int column, DataType type, Object value) {
        if (value == null) {
            sink.setNull(column);
            return;
        }
        switch (type) {
            case BOOLEAN -> sink.setBoolean(column, as(value, Boolean.class, type));
            case INT64 -> sink.setLong(column, as(value, Long.class, type));
            case FLOAT64 -> sink.setDouble(column, as(value, Double.class, type));
            case DECIMAL -> sink.setObject(column, as(value, BigDecimal.class, type));
            case STRING -> sink.setObject(column, as(value, String.class, type));
            case JSON -> sink.setObject(column, value instanceof byte[] utf8 ? new String(utf8, StandardCharsets.UTF_8)
                    : as(value, String.class, type));
            case BYTES -> sink.setObject(column, as(value, byte[].class, type));
            case DATE -> sink.setLong(column, as(value, LocalDate.class, type).toEpochDay());
            case TIME -> sink.setLong(column, as(value, LocalTime.class, type).toNanoOfDay());
            case TIMESTAMP -> sink.setLong(column, TimeCodec.micros(as(value, LocalDateTime.class, type)));
            case TIMESTAMPTZ -> sink.setLong(column, TimeCodec.micros(as(value, OffsetDateTime.class, type)));
            case NULL -> sink.setNull(column);
        }
    }

    private static <T> T as(Object value, Class<T> expected, DataType type) {
        if (!expected.isInstance(value)) {
            throw new IllegalArgumentException("a " + value.getClass().getSimpleName() + " value cannot be read as "
                    + type.typeName());
        }
        return expected.cast(value);
    }

    /** Whether two values of one key column are the same key. */
    static boolean sameKey(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        return Objects.equals(a, b);
    }
}
