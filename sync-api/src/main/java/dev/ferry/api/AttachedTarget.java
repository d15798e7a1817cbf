package dev.ferry.api;

/**
 * Writers of a prepared target in one process: what {@link SupportsAttach#attachTarget} opened,
 * nothing global (no pre-SQL, no table created or truncated).
 *
 * <p>Lifecycle: {@link #createWriter} once per channel, possibly concurrently; {@link #close} once
 * at the end, idempotent. Each writer commits its own splits ({@link SupportsSplitRetry} holds as
 * for the target itself). Threading: {@code createWriter} from any thread.
 */
public interface AttachedTarget extends AutoCloseable {

    TargetWriter createWriter(WriterContext context);

    @Override
    void close();
}
