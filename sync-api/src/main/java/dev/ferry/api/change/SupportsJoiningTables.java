package dev.ferry.api.change;

import dev.ferry.api.JobContext;
import dev.ferry.api.state.Position;
import java.util.List;
import java.util.Map;

/**
 * A {@link ChangeSource} capability: tables can join a stream that is already running, the way a
 * sync task's Edit adds tables while the others keep streaming.
 *
 * <p>The engine's protocol for joining tables {@code J} to a running stream:
 * <ol>
 *   <li>{@link ChangeSource#plan} with the previous plan and a table list that includes {@code J}
 *       (on PostgreSQL this adds them to the publication);</li>
 *   <li>{@link #openSnapshot} for {@code J}; the engine copies them from its sources while the
 *       stream goes on for the other tables and ignores {@code J}'s changes;</li>
 *   <li>once copied, the running reader is stopped at a transaction boundary and a new one is
 *       attached with {@link #attach(CapturePlan, Position, Map, JobContext)}, from the older of the
 *       stream's checkpoint and the snapshot's position, each table starting after its own
 *       position, so the changes {@code J} saw during its copy are applied and no other table's
 *       change is applied twice.</li>
 * </ol>
 * Until the new reader runs, the engine acknowledges nothing past the snapshot's position, so the
 * source still holds the log from there (a PostgreSQL slot keeps that WAL).
 */
public interface SupportsJoiningTables {

    /**
     * Opens a consistent snapshot of {@code tables} now: every transaction committed at or before
     * {@link TableSnapshot#position()} is in it and no later one is.
     *
     * @param plan   a plan that captures {@code tables}
     * @param tables the joining tables, each in {@code plan}
     */
    TableSnapshot openSnapshot(CapturePlan plan, List<TableId> tables, JobContext context);

    /**
     * Opens a reader like {@link ChangeSource#attach}, from {@code from}, where each table in
     * {@code tablesFrom} has its changes delivered only in transactions committed after its own
     * position (which is not older than {@code from}); the transactions themselves, with the other
     * tables' changes, commits and advances, are delivered as usual.
     */
    ChangeReader attach(CapturePlan plan, Position from, Map<TableId, Position> tablesFrom, JobContext context);
}
