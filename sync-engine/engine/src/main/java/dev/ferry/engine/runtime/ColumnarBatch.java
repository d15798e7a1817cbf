package dev.ferry.engine.runtime;

import dev.ferry.api.data.DataType;
import dev.ferry.api.data.RowBatch;
import dev.ferry.api.data.TableSchema;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;

/**
 * The engine's reusable record buffer: {@code capacity} rows stored row-major in one {@code long[]}
 * for primitives (long-backed types, booleans as 0/1, doubles as raw bits), one {@code Object[]}
 * for references and one {@code boolean[]} of null flags. A reader fills it through
 * {@link ChannelSink}, a writer reads it as a {@link RowBatch}, then it goes back to its
 * {@link BatchQueue} to be filled again, so steady-state transfer allocates nothing per record.
 */
final class ColumnarBatch implements RowBatch {

    private final TableSchema schema;
    private final DataType[] types;
    final int arity;
    final int capacity;
    final long[] longs;
    final Object[] objects;
    final boolean[] nulls;
    final int[] rowBytes;
    int size;
    long bytes;

    ColumnarBatch(TableSchema schema, int capacity) {
        this.schema = schema;
        this.arity = schema.arity();
        this.capacity = capacity;
        this.types = new DataType[arity];
        boolean anyObject = false;
        for (int i = 0; i < arity; i++) {
            types[i] = schema.column(i).type();
            anyObject |= types[i].isObjectBacked();
        }
        this.longs = new long[capacity * arity];
        this.objects = anyObject ? new Object[capacity * arity] : null;
        this.nulls = new boolean[capacity * arity];
        this.rowBytes = new int[capacity];
    }

    void clear() {
        size = 0;
        bytes = 0;
    }

    @Override
    public TableSchema schema() {
        return schema;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isNull(int row, int column) {
        return nulls[row * arity + column];
    }

    @Override
    public boolean getBoolean(int row, int column) {
        return longs[row * arity + column] != 0;
    }

    @Override
    public long getLong(int row, int column) {
        return longs[row * arity + column];
    }

    @Override
    public double getDouble(int row, int column) {
        return Double.longBitsToDouble(longs[row * arity + column]);
    }

    @Override
    public Object getObject(int row, int column) {
        int i = row * arity + column;
        return nulls[i] ? null : objectOf(types[column], longs[i], objects == null ? null : objects[i]);
    }

    /**
     * A value's object form (see {@link DataType}) from its stored primitive bits or reference;
     * shared with the change path's batches.
     */
    static Object objectOf(DataType type, long bits, Object reference) {
        return switch (type) {
            case BOOLEAN -> bits != 0;
            case INT64 -> bits;
            case FLOAT64 -> Double.longBitsToDouble(bits);
            case DATE -> LocalDate.ofEpochDay(bits);
            case TIME -> LocalTime.ofNanoOfDay(bits);
            case TIMESTAMP -> LocalDateTime.ofEpochSecond(Math.floorDiv(bits, 1_000_000L),
                    (int) Math.floorMod(bits, 1_000_000L) * 1000, ZoneOffset.UTC);
            case TIMESTAMPTZ -> Instant.ofEpochSecond(Math.floorDiv(bits, 1_000_000L),
                    Math.floorMod(bits, 1_000_000L) * 1000);
            case DECIMAL, STRING, BYTES, JSON -> reference;
            case NULL -> null;
        };
    }

    @Override
    public long rowBytes(int row) {
        return rowBytes[row];
    }
}
