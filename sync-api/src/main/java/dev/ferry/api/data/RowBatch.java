package dev.ferry.api.data;

/**
 * A batch of records handed to a {@link dev.ferry.api.TargetWriter}, read by row and column index.
 *
 * <p>Primitive accessors read the value without boxing; the accessor must match the column's
 * {@link DataType}. {@link #getObject} works for every type and returns the object form from the
 * table in {@link DataType} (boxing long-backed values).
 *
 * <p>Threading and lifetime: a batch is valid only during the {@code write} call that received
 * it, on that call's thread; the engine reuses its memory afterwards. Copy values out to keep them.
 */
public interface RowBatch {

    /** The schema every row follows. */
    TableSchema schema();

    /** Number of rows, at least 1. */
    int size();

    boolean isNull(int row, int column);

    boolean getBoolean(int row, int column);

    long getLong(int row, int column);

    double getDouble(int row, int column);

    /** The value in its object form, or null. */
    Object getObject(int row, int column);

    /** Approximate size of the row's values in bytes, as counted for buffers and rate limits. */
    long rowBytes(int row);
}
