package dev.ferry.api.change;

/**
 * Applies changes to a target, one target transaction at a time: any number of
 * {@link #write} calls, then {@link #commit} (everything written is durable when it returns) or
 * {@link #rollback}.
 *
 * <p>Contract: the engine hands a writer the changes of each key in source order and never the
 * same key to two writers at once. Applying must be idempotent: after a crash the engine replays
 * changes from the last checkpoint, some of which the target already has, and the target must end
 * up equal to the source (an insert of an existing key overwrites it, a delete of a missing key
 * does nothing). A value the target refuses is reported with
 * {@link dev.ferry.api.WriterContext#reportDirty} and skipped; other failures are thrown
 * ({@link dev.ferry.api.error.RetriableException} when the same changes may be applied again).
 *
 * <p>Threading: one engine thread calls every method.
 */
public interface ChangeWriter extends AutoCloseable {

    /** Applies (or buffers) every row of the batch, in order. */
    void write(ChangeBatch batch);

    /** Makes everything written since the last commit durable. */
    void commit();

    /** Discards what was written since the last commit; the engine replays it. */
    void rollback();

    /** Rolls back anything uncommitted and releases the connection; idempotent. */
    @Override
    void close();
}
