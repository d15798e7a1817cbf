package dev.ferry.engine.testing;

import dev.ferry.api.data.RecordSink;

/**
 * A {@link RecordSink} that forwards every call to another; tests override the calls they watch
 * (count emits, cancel or kill a connection after N rows), or {@link #delegate()} to switch sinks
 * between records.
 */
public class ForwardingRecordSink implements RecordSink {

    private final RecordSink delegate;

    public ForwardingRecordSink(RecordSink delegate) {
        this.delegate = delegate;
    }

    /** For subclasses that override {@link #delegate()}. */
    protected ForwardingRecordSink() {
        this(null);
    }

    /** Where the calls go. */
    protected RecordSink delegate() {
        return delegate;
    }

    @Override
    public void setNull(int column) {
        delegate().setNull(column);
    }

    @Override
    public void setBoolean(int column, boolean value) {
        delegate().setBoolean(column, value);
    }

    @Override
    public void setLong(int column, long value) {
        delegate().setLong(column, value);
    }

    @Override
    public void setDouble(int column, double value) {
        delegate().setDouble(column, value);
    }

    @Override
    public void setObject(int column, Object value) {
        delegate().setObject(column, value);
    }

    @Override
    public void emit() {
        delegate().emit();
    }

    @Override
    public void dirty(String reason, String raw) {
        delegate().dirty(reason, raw);
    }
}
