package dev.ferry.benchmarks;

import dev.ferry.api.data.RecordSink;

/**
 * A {@link RecordSink} that stores values the way the engine's sink does (row-major arrays, one
 * null flag per cell) and wraps around instead of handing batches on: the cheapest realistic place
 * for a reader to put records, so a reader benchmark times the reader.
 *
 * <p>Threading: used by one reader thread.
 */
public final class StoringSink implements RecordSink {

    private final int arity;
    private final int capacity;
    private final long[] longs;
    private final Object[] objects;
    private final boolean[] nulls;
    private int base;
    private int row;
    private long emitted;
    private long dirty;

    public StoringSink(int arity, int capacity) {
        this.arity = arity;
        this.capacity = capacity;
        this.longs = new long[arity * capacity];
        this.objects = new Object[arity * capacity];
        this.nulls = new boolean[arity * capacity];
    }

    /** Records emitted since construction. */
    public long emitted() {
        return emitted;
    }

    /** Records reported dirty since construction. */
    public long dirty() {
        return dirty;
    }

    @Override
    public void setNull(int column) {
        nulls[base + column] = true;
    }

    @Override
    public void setBoolean(int column, boolean value) {
        longs[base + column] = value ? 1 : 0;
        nulls[base + column] = false;
    }

    @Override
    public void setLong(int column, long value) {
        longs[base + column] = value;
        nulls[base + column] = false;
    }

    @Override
    public void setDouble(int column, double value) {
        longs[base + column] = Double.doubleToRawLongBits(value);
        nulls[base + column] = false;
    }

    @Override
    public void setObject(int column, Object value) {
        objects[base + column] = value;
        nulls[base + column] = value == null;
    }

    @Override
    public void emit() {
        emitted++;
        if (++row == capacity) {
            row = 0;
            base = 0;
        } else {
            base += arity;
        }
    }

    @Override
    public void dirty(String reason, String raw) {
        dirty++;
    }
}
