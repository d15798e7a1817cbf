package dev.ferry.engine.runtime;

import dev.ferry.api.data.RecordSink;
import dev.ferry.api.data.RowBatch;
import dev.ferry.api.data.TableSchema;
import java.math.BigDecimal;
import java.util.function.ObjIntConsumer;

/**
 * Gives benchmarks outside the engine's package the engine's own {@link RowBatch}, a filled
 * {@link ColumnarBatch}, so that a writer's conversion code is timed against the implementation
 * (and the call profile) it meets in a job rather than against a stand-in.
 *
 * <p>It lives in the engine's package inside sync-benchmarks because {@code ColumnarBatch} is
 * package-private; nothing in the engine depends on it.
 */
public final class BenchmarkBatches {

    private BenchmarkBatches() {
    }

    /**
     * A batch of {@code rows} rows; {@code fill} sets every column of row {@code i} through the
     * sink it is given, as a reader would.
     */
    public static RowBatch filled(TableSchema schema, int rows, ObjIntConsumer<RecordSink> fill) {
        ColumnarBatch batch = new ColumnarBatch(schema, rows);
        ArraySink sink = new ArraySink(batch);
        for (int row = 0; row < rows; row++) {
            sink.base = row * batch.arity;
            fill.accept(sink, row);
        }
        batch.size = rows;
        return batch;
    }

    /** Writes straight into a batch's arrays, like {@link ChannelSink} without the hand-off. */
    private static final class ArraySink implements RecordSink {

        private final ColumnarBatch batch;
        int base;

        ArraySink(ColumnarBatch batch) {
            this.batch = batch;
        }

        @Override
        public void setNull(int column) {
            batch.nulls[base + column] = true;
        }

        @Override
        public void setBoolean(int column, boolean value) {
            setLong(column, value ? 1 : 0);
        }

        @Override
        public void setLong(int column, long value) {
            batch.longs[base + column] = value;
            batch.nulls[base + column] = false;
        }

        @Override
        public void setDouble(int column, double value) {
            setLong(column, Double.doubleToRawLongBits(value));
        }

        @Override
        public void setObject(int column, Object value) {
            if (value == null) {
                setNull(column);
                return;
            }
            if (!(value instanceof String || value instanceof BigDecimal || value instanceof byte[])) {
                throw new IllegalArgumentException("column " + column + " cannot hold a " + value.getClass());
            }
            batch.objects[base + column] = value;
            batch.nulls[base + column] = false;
        }

        @Override
        public void emit() {
            // Rows are placed by index.
        }

        @Override
        public void dirty(String reason, String raw) {
            throw new IllegalStateException("a benchmark row was dirty: " + reason);
        }
    }
}
