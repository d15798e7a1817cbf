package dev.ferry.engine.runtime;

import dev.ferry.api.change.TableMapping;
import dev.ferry.api.change.TableId;
import dev.ferry.api.state.Position;
import java.util.List;

/**
 * What a sync task follows of its stream, table by table: the driver thread tells it where each
 * stage stands as it moves. The stream's own {@link dev.ferry.api.job.JobEvent}s still go to its
 * listeners; this is the finer view a task's status needs.
 *
 * <p>Threading: called on the stream's driver, reader and join threads, one call at a time per
 * stage; implementations must be thread-safe and must not block.
 */
public interface StreamObserver {

    /** Observes nothing. */
    StreamObserver NONE = new StreamObserver() {
    };

    /** The target tables of every captured table exist with every source column (Schema Migration done). */
    default void prepared(List<TableMapping> tables) {
    }

    /** {@code table}'s copy begins. */
    default void copying(TableId table) {
    }

    /**
     * {@code table} holds its snapshot: {@code rows} rows copied now or, when {@code earlier}, by
     * an earlier start of the stream that was interrupted before the others were copied.
     */
    default void copied(TableId table, long rows, boolean earlier) {
    }

    /**
     * Changes are applied from {@code from}: every table is copied but {@code stillCopying}, tables
     * that joined a running stream and are copied while the others stream (once they are, this is
     * called again with none).
     */
    default void streaming(Position from, List<TableId> stillCopying) {
    }
}
