package dev.ferry.api.change;

import dev.ferry.api.JobContext;
import dev.ferry.api.Source;
import dev.ferry.api.state.Position;

/**
 * A source of changes: the log of a database, for a set of its tables.
 *
 * <p>Lifecycle, driven by the engine:
 * <ol>
 *   <li>A {@link SupportsChangeCapture} factory creates it from validated configuration; creating
 *       it opens nothing.</li>
 *   <li>{@link #plan} runs once per start of the stream with the plan of the previous start, if
 *       any. Without one it checks the server and creates what keeps the log (a publication and a
 *       slot); with one it reuses them and only adjusts the table list. Its result is stored.</li>
 *   <li>When the plan asks for a snapshot, {@link #snapshot} gives one batch {@link Source} per
 *       table, consistent with {@link CapturePlan#start()}, and the engine copies the tables.</li>
 *   <li>{@link #attach} opens a reader from a position (the checkpoint, or the plan's start).</li>
 *   <li>{@link #close} releases what planning held (an exported snapshot); idempotent.</li>
 * </ol>
 *
 * <p>Threading: called from the stream's driver thread.
 */
public interface ChangeSource extends AutoCloseable {

    /**
     * Plans the stream.
     *
     * @param previous the plan of the stream's previous start, or null for a new stream
     * @throws dev.ferry.api.error.ConfigException when the server or the tables are not fit for
     *         change capture (naming the setting, its value and the fix)
     */
    CapturePlan plan(JobContext context, CapturePlan previous);

    /**
     * A batch source reading one table as of the plan's start, so that streaming from the start
     * after copying misses nothing. Valid between {@link #plan} and {@link #attach}.
     */
    Source snapshot(CapturePlan plan, TableId table);

    /** Opens a reader that delivers the changes after {@code from}. */
    ChangeReader attach(CapturePlan plan, Position from, JobContext context);

    /** Parses a position's {@link Position#asText()} form. @throws IllegalArgumentException naming the text */
    Position parsePosition(String text);

    /**
     * Removes what {@link #plan} created on the server (slot, publication): the stream can then
     * never resume. For deleting a stream and for tests.
     */
    void drop(CapturePlan plan);

    @Override
    void close();
}
