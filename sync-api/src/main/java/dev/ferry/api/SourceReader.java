package dev.ferry.api;

import dev.ferry.api.data.RecordSink;

/**
 * Reads one split and pushes its records into a {@link RecordSink}.
 *
 * <p>Threading: {@link #read} and {@link #close} are called from one reader thread;
 * {@link #cancel} may be called from any other thread while {@code read} runs.
 */
public interface SourceReader extends AutoCloseable {

    /**
     * Reads the whole split, returning when it is exhausted. Blocks in {@code sink.emit()} when the
     * engine applies back-pressure. A failure is thrown as a
     * {@link dev.ferry.api.error.SyncException} (a {@link dev.ferry.api.error.RetriableException}
     * when reading the split again may succeed).
     */
    void read(RecordSink sink);

    /**
     * Asks a {@code read} in progress to stop soon. The engine also interrupts the reader thread;
     * readers blocked in I/O that an interrupt does not reach (a JDBC query) override this to
     * abort that I/O. The default does nothing.
     */
    default void cancel() {
    }

    /** Releases the reader's resources; idempotent. */
    @Override
    void close();
}
