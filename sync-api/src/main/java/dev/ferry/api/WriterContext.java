package dev.ferry.api;

import dev.ferry.api.data.RowBatch;

/**
 * What a {@link TargetWriter} gets from the engine.
 *
 * <p>Threading: used by the writer's channel thread only.
 */
public interface WriterContext extends JobContext {

    /** The channel's index, from 0. */
    int channel();

    /**
     * Reports a row of the batch as dirty: it is not written, it is counted and kept, and the
     * job's tolerance applies.
     *
     * @param reason the database's or converter's reason, naming the column where it can
     * @throws dev.ferry.api.error.DirtyDataLimitException when the tolerance is exceeded
     */
    void reportDirty(RowBatch batch, int row, String reason);

    /**
     * Reports a record as dirty from its text form, for a writer that no longer holds the record's
     * batch: one that encoded rows for a bulk load and learns only later, when the server refuses
     * the load, which of them are bad. Counted, kept and judged like
     * {@link #reportDirty(RowBatch, int, String)}, and may be called during any later
     * {@code write} or {@code finishSplit} of the same split.
     *
     * @param record the record as the writer can render it, preferably its values as a JSON object
     *               of column name to value
     * @param reason the database's or converter's reason, naming the column where it can
     * @throws dev.ferry.api.error.DirtyDataLimitException when the tolerance is exceeded
     */
    void reportDirty(String record, String reason);
}
