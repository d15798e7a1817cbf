package dev.ferry.engine.verify;

import dev.ferry.api.data.RecordSink;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.CancelledException;
import dev.ferry.api.verify.ColumnForm;
import dev.ferry.api.verify.SplitDigest;
import java.util.List;

/**
 * A {@link RecordSink} that hashes every record a reader emits into a {@link SplitDigest} and keeps
 * nothing else: memory is one row, whatever the split's size. With a {@link KeyedRows}, it also
 * hands each row's integer key and hash on, for merging two sides in key order.
 *
 * <p>A record the reader reports as dirty is not a row (the copy did not write it either).
 *
 * <p>Threading: the reader's thread.
 */
final class DigestSink implements RecordSink {

    /** Receives each row's key and hash, in the order the reader emits them. */
    interface KeyedRows {
        void accept(long[] key, long hash);
    }

    private final CanonicalRow row;
    private final int[] keyColumns;
    private final KeyedRows keyed;
    private long rows;
    private long sum;
    private long dirty;

    DigestSink(TableSchema schema, List<ColumnForm> forms) {
        this(schema, forms, new int[0], null);
    }

    DigestSink(TableSchema schema, List<ColumnForm> forms, int[] keyColumns, KeyedRows keyed) {
        this.row = new CanonicalRow(schema, forms);
        this.keyColumns = keyColumns.clone();
        this.keyed = keyed;
    }

    SplitDigest digest() {
        return new SplitDigest(rows, sum);
    }

    /** Records the reader reported as dirty, not counted as rows. */
    long dirty() {
        return dirty;
    }

    @Override
    public void setNull(int column) {
        row.setNull(column);
    }

    @Override
    public void setBoolean(int column, boolean value) {
        row.setBoolean(column, value);
    }

    @Override
    public void setLong(int column, long value) {
        row.setLong(column, value);
    }

    @Override
    public void setDouble(int column, double value) {
        row.setDouble(column, value);
    }

    @Override
    public void setObject(int column, Object value) {
        row.setObject(column, value);
    }

    @Override
    public void emit() {
        if ((rows & 4095) == 0 && Thread.currentThread().isInterrupted()) {
            throw new CancelledException("verification was cancelled");
        }
        long hash = row.hash();
        rows++;
        sum += hash;
        if (keyed != null) {
            long[] key = new long[keyColumns.length];
            for (int i = 0; i < key.length; i++) {
                if (row.isNull(keyColumns[i])) {
                    throw new IllegalStateException("a row has a NULL key, so its key cannot be named");
                }
                key[i] = row.longValue(keyColumns[i]);
            }
            keyed.accept(key, hash);
        }
    }

    @Override
    public void dirty(String reason, String raw) {
        dirty++;
    }
}
