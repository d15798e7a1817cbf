package dev.ferry.api.change;

import dev.ferry.api.state.Position;

/**
 * Reads a change log from a position and pushes its changes into a {@link ChangeSink}, until
 * stopped.
 *
 * <p>Lifecycle: {@link ChangeSource#attach} opens it; the engine calls {@link #read} once on a
 * reader thread; {@link #acknowledge} and {@link #stop} may come from other threads while it runs;
 * {@link #close} ends it.
 *
 * <p>Threading: {@code read} and {@code close} on one thread; {@code acknowledge} and {@code stop}
 * from any thread.
 */
public interface ChangeReader extends AutoCloseable {

    /**
     * Reads changes until {@link #stop} is called (then returns normally, after the sink has seen
     * the last complete transaction it will get) or a failure occurs (thrown as a
     * {@link dev.ferry.api.error.SyncException}; a lost position is an
     * {@link dev.ferry.api.error.ErrorKind#EXTERNAL} error saying that a new snapshot is needed).
     * Never returns on its own while the source is healthy.
     */
    void read(ChangeSink sink);

    /**
     * Everything up to and including {@code position} (a commit or advance position this reader
     * delivered) is durable in the target and in the checkpoint: the source may discard it
     * (PostgreSQL's flushed LSN). Positions only move forward; an older one is ignored.
     */
    void acknowledge(Position position);

    /** Asks {@link #read} to return soon; idempotent. */
    void stop();

    /** Releases the reader's connection; idempotent. */
    @Override
    void close();
}
