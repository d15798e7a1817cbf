package dev.ferry.connector.mariadb.capture;

import dev.ferry.api.data.RecordSink;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Records each value as text together with the setter that delivered it ({@code long:42},
 * {@code object:java.math.BigDecimal:12.30}), so that two readers agree only when they use the same
 * accessor with the same value: BigDecimal with its scale, doubles to the bit, bytes in hex. Every
 * column must be set before {@link #emit()}; a dirty report fails the test.
 */
final class RecordingSink implements RecordSink {

    private final int arity;
    private final List<List<String>> rows = new ArrayList<>();
    private String[] current;

    RecordingSink(int arity) {
        this.arity = arity;
        this.current = new String[arity];
    }

    List<List<String>> rows() {
        return rows;
    }

    @Override
    public void setNull(int column) {
        current[column] = "null";
    }

    @Override
    public void setBoolean(int column, boolean value) {
        current[column] = "boolean:" + value;
    }

    @Override
    public void setLong(int column, long value) {
        current[column] = "long:" + value;
    }

    @Override
    public void setDouble(int column, double value) {
        current[column] = "double:" + value + "/" + Long.toHexString(Double.doubleToRawLongBits(value));
    }

    @Override
    public void setObject(int column, Object value) {
        if (value == null) {
            setNull(column);
        } else if (value instanceof byte[] bytes) {
            current[column] = "object:[B:" + HexFormat.of().formatHex(bytes);
        } else if (value instanceof BigDecimal decimal) {
            current[column] = "object:java.math.BigDecimal:" + decimal;
        } else {
            current[column] = "object:" + value.getClass().getName() + ":" + value;
        }
    }

    @Override
    public void emit() {
        for (int i = 0; i < arity; i++) {
            if (current[i] == null) {
                throw new AssertionError("column " + i + " was not set: " + Arrays.toString(current));
            }
        }
        rows.add(List.of(current));
        current = new String[arity];
    }

    @Override
    public void dirty(String reason, String raw) {
        throw new AssertionError("dirty: " + reason);
    }

    /** The one value of a one-column record set by {@code setter}. */
    static String single(java.util.function.Consumer<RecordSink> setter) {
        RecordingSink sink = new RecordingSink(1);
        setter.accept(sink);
        sink.emit();
        return sink.rows().get(0).get(0);
    }
}
