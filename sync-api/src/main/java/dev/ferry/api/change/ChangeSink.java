package dev.ferry.api.change;

import dev.ferry.api.data.RecordSink;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.state.Position;

/**
 * Where a {@link ChangeReader} puts the changes it reads: records of many tables, each with its
 * {@link ChangeKind}, grouped into source transactions.
 *
 * <p>Protocol, for one reader thread:
 * <ol>
 *   <li>{@link #table} declares a table and its schema before its first record, and again
 *       whenever its schema changes (a column added mid-stream); it returns the handle that
 *       {@link #begin} takes. Records begun after a re-declaration follow the new schema.</li>
 *   <li>For each change: {@link #begin}, then every column set through the {@link RecordSink}
 *       setters or {@link #setUnchanged}, then {@link RecordSink#emit()}.</li>
 *   <li>{@link #commit} after the last change of a source transaction. Resuming a stream from the
 *       commit's position must not deliver that transaction again.</li>
 *   <li>{@link #advance} when the log moved on without changes for the stream (a heartbeat, a
 *       transaction on other tables), so that checkpoints and the source's retained log keep up.</li>
 * </ol>
 * Every call may block while the engine applies back-pressure, and throws
 * {@link dev.ferry.api.error.CancelledException} once the stream is cancelled.
 *
 * <p>Threading: a sink belongs to the one thread that runs {@link ChangeReader#read}.
 */
public interface ChangeSink extends RecordSink {

    /**
     * Declares a table (again, when its schema changed) and returns its handle for {@link #begin}.
     *
     * @param schema the row shape; its {@link TableSchema#primaryKey()} is the key changes are
     *               applied and ordered by
     */
    int table(TableId table, TableSchema schema);

    /**
     * Starts a change record.
     *
     * @param table        a handle from {@link #table}
     * @param kind         what the change does
     * @param position     where the change is in the log (strictly increasing within a transaction)
     * @param commitMicros the commit time of its transaction, microseconds since the epoch (UTC)
     */
    void begin(int table, ChangeKind kind, Position position, long commitMicros);

    /**
     * Marks column {@code column} of the record being built as "not changed, value not sent"
     * (PostgreSQL's unchanged TOAST values); targets leave that column as it is.
     */
    void setUnchanged(int column);

    /**
     * The source transaction whose changes were begun since the previous commit has committed.
     *
     * @param position     the position to resume from after this transaction
     * @param commitMicros its commit time, microseconds since the epoch (UTC)
     */
    void commit(Position position, long commitMicros);

    /** The log reached {@code position} with nothing for this stream since the last commit. */
    void advance(Position position);
}
