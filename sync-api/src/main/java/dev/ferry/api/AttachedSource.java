package dev.ferry.api;

/**
 * Readers of a planned source in one process: what {@link SupportsAttach#attachSource} opened
 * (a connection pool, file handles), nothing global.
 *
 * <p>Lifecycle: {@link #createReader} any number of times, possibly concurrently; {@link #close}
 * once at the end, idempotent. Threading: {@code createReader} from any thread.
 */
public interface AttachedSource extends AutoCloseable {

    /** Opens a reader for one split of the plan. */
    SourceReader createReader(Split split);

    @Override
    void close();
}
