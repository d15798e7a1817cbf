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
}
