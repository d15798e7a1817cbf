package dev.ferry.api.change;

import dev.ferry.api.JobContext;
import dev.ferry.api.Target;
import java.time.LocalDate;

/**
 * A {@link ChangeTarget} that keeps each table as one partition per Business Date plus a change log
 * (a task's {@code partitioned} target), laid out by its {@link #partitioning()}:
 * <ul>
 *   <li>the <b>base table</b> (the mapped target name) has the source's columns and the
 *       Business-Date column; a partition is the rows of one date;</li>
 *   <li>the <b>change-log table</b> ({@link #logTable}) gets every change streaming applies, and
 *       streaming writes nowhere else: its kind ({@code I}, {@code U}, {@code D}), the row's after
 *       image (for a delete, the key), the position's {@link dev.ferry.api.state.Position#orderKey()},
 *       the change's {@link ChangeBatch#sequence sequence}, its commit time and its Business Date.
 *       A change applied again after a restart is not logged twice.</li>
 * </ul>
 *
 * <p>Writing a partition always replaces it whole and atomically: readers see the old rows or the
 * new ones, never a mix, and writing it again gives the same partition.
 *
 * <p>Threading: from the driver thread, like {@link ChangeTarget#prepare}; valid after it.
 */
public interface SupportsPartitions {

    /** The Business-Date column, its format and the task's time zone. */
    Partitioning partitioning();

    /** The change-log table of {@code table}'s target, as the target names tables. */
    String logTable(TableMapping table);

    /**
     * A batch target that writes {@code table}'s partition of {@code date}: its rows replace the
     * partition when {@link Target#commit()} runs, atomically (a Full Initialization, a Rerun or a
     * Full Data Backfill).
     */
    Target partition(TableMapping table, LocalDate date);

    /** Whether {@code table} has a partition of {@code date}. */
    boolean hasPartition(JobContext context, TableMapping table, LocalDate date);

    /**
     * Builds {@code table}'s partition of {@code date}: the partition of {@code previous} merged with
     * the changes logged for {@code date}. For each key the latest change wins, ordered by position
     * then sequence; a key whose latest change is a delete is absent, and a key change is a delete
     * of the old key and an insert of the new. Atomic and idempotent.
     *
     * @param previous the date whose partition the merge builds on (the day before, or the date
     *                 of the last Full Initialization or Backfill)
     * @return the rows of the new partition
     * @throws dev.ferry.api.error.SyncException when the partition of {@code previous} is missing,
     *         naming it
     */
    long merge(JobContext context, TableMapping table, LocalDate date, LocalDate previous);
}
