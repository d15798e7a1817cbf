package dev.ferry.api;

import dev.ferry.api.data.RowBatch;

/**
 * Writes the records of one channel, split after split.
 *
 * <p>For each split the engine calls {@link #startSplit}, then {@link #write} any number of times,
 * then either {@link #finishSplit} (the split's records must be durable when it returns) or
 * {@link #abortSplit} (the split failed). A record that cannot be written is reported with
 * {@link WriterContext#reportDirty} and not written; other failures are thrown.
 *
 * <p>Threading: one channel thread calls every method; writers of different channels run
 * concurrently.
 */
public interface TargetWriter extends AutoCloseable {

    void startSplit(Split split);

    /** Writes (or buffers) every row of the batch; the batch is only valid during this call. */
    void write(RowBatch batch);

    /** Flushes and makes the split's records durable. */
    void finishSplit();

    /**
     * The split failed. Discard its effects as far as the target can; a target that implements
     * {@link SupportsSplitRetry} promises that they are all gone.
     */
    void abortSplit();

    @Override
    void close();
}
