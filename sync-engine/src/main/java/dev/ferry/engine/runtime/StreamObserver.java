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
 * <p>Threading: called on the stream's driver thread; implementations must not block.
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

    /** Every table is copied (or none needed copying) and changes are applied from {@code from}. */
    default void streaming(Position from) {
    }
}
