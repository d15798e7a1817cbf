package dev.ferry.engine.testing;

import dev.ferry.api.data.DataType;
import dev.ferry.api.data.RecordSink;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.DirtyDataLimitException;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link RecordSink} that keeps every emitted row as an {@code Object[]} in the object form of
 * {@link DataType} (Long, Double, Boolean, String, BigDecimal, byte[]; long-backed temporal types
 * stay as their raw Long), and every dirty report. For reader unit tests.
 */
public final class CollectingRecordSink implements RecordSink {

    /** A dirty report: why, and the raw text the reader gave. */
    public record Dirty(String reason, String raw) {
    }

    private final TableSchema schema;
    private final long maxDirty;
    private final List<Object[]> rows = new ArrayList<>();
    private final List<Dirty> dirty = new ArrayList<>();
    private Object[] current;

    public CollectingRecordSink(TableSchema schema) {
        this(schema, Long.MAX_VALUE);
    }

    /** A sink that throws {@link DirtyDataLimitException} once more than {@code maxDirty} rows are dirty. */
    public CollectingRecordSink(TableSchema schema, long maxDirty) {
        this.schema = schema;
        this.maxDirty = maxDirty;
        this.current = new Object[schema.arity()];
    }

    public List<Object[]> rows() {
        return rows;
    }

    public List<Dirty> dirty() {
        return dirty;
    }

    @Override
    public void setNull(int column) {
        current[column] = null;
    }

    @Override
    public void setBoolean(int column, boolean value) {
        expect(column, DataType.BOOLEAN);
        current[column] = value;
    }

    @Override
    public void setLong(int column, long value) {
        if (!schema.column(column).type().isLongBacked()) {
            throw new IllegalStateException("setLong on column " + column + " of type " + schema.column(column).type());
        }
        current[column] = value;
    }

    @Override
    public void setDouble(int column, double value) {
        expect(column, DataType.FLOAT64);
        current[column] = value;
    }

    @Override
    public void setObject(int column, Object value) {
        if (value != null && !schema.column(column).type().isObjectBacked()) {
            throw new IllegalStateException("setObject on column " + column + " of type " + schema.column(column).type());
        }
        current[column] = value;
    }

    @Override
    public void emit() {
        rows.add(current);
        current = new Object[schema.arity()];
    }

    @Override
    public void dirty(String reason, String raw) {
        dirty.add(new Dirty(reason, raw));
        current = new Object[schema.arity()];
        if (dirty.size() > maxDirty) {
            throw new DirtyDataLimitException("dirty records " + dirty.size() + " exceed " + maxDirty);
        }
    }

    private void expect(int column, DataType type) {
        if (schema.column(column).type() != type) {
            throw new IllegalStateException("column " + column + " is " + schema.column(column).type() + ", not " + type);
        }
    }
}
