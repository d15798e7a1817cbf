package dev.ferry.connector.postgresql.capture;

import dev.ferry.api.data.RecordSink;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps what was set per column and which setter set it, row by row: Boolean, Long, Double, or the
 * object (BigDecimal, String, byte[]); null for setNull.
 */
final class RecordingSink implements RecordSink {

    private final int arity;
    private Object[] values;
    private String[] setters;
    final List<Object[]> rows = new ArrayList<>();
    final List<String[]> rowSetters = new ArrayList<>();

    RecordingSink(int arity) {
        this.arity = arity;
        this.values = new Object[arity];
        this.setters = new String[arity];
    }

    Object value(int column) {
        return values[column];
    }

    String setter(int column) {
        return setters[column];
    }

    @Override
    public void setNull(int column) {
        values[column] = null;
        setters[column] = "setNull";
    }

    @Override
    public void setBoolean(int column, boolean value) {
        values[column] = value;
        setters[column] = "setBoolean";
    }

    @Override
    public void setLong(int column, long value) {
        values[column] = value;
        setters[column] = "setLong";
    }

    @Override
    public void setDouble(int column, double value) {
        values[column] = value;
        setters[column] = "setDouble";
    }

    @Override
    public void setObject(int column, Object value) {
        values[column] = value;
        setters[column] = value == null ? "setNull" : "setObject";
    }

    @Override
    public void emit() {
        rows.add(values);
        rowSetters.add(setters);
        values = new Object[arity];
        setters = new String[arity];
    }

    @Override
    public void dirty(String reason, String raw) {
        throw new AssertionError("dirty: " + reason);
    }
}
