package dev.ferry.engine.task;

import dev.ferry.api.task.TaskSpec;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Business Date whose partitions one start of a partitioned task copies into, held while
 * those copies run.
 *
 * <p>A Full Initialization writes the partition of the Business Date on which it began: the task's
 * first one and a Rerun for every table, an Edit for the tables it added. The date is kept in the
 * task store ({@link TaskStore#copyDate}) until every table is copied, so a copy that a crash
 * interrupts and a later start resumes, split by split, completes the partition it began rather than
 * starting one of another date. While copies may run the date is held ({@link DateHold}), so no
 * merge or backfill of the same date writes it meanwhile; the hold is given up once every table is
 * copied. Each table's date is recorded ({@link TaskStore#tableDate}) for the merges that build on it.
 *
 * <p>A start copies nothing new when the version it runs is the one whose copies all completed
 * ({@link TaskStore#copiedVersion}): it takes no hold then.
 *
 * <p>Threading: {@link #begin} on the runner's thread; the rest from any thread.
 */
final class CopyDate implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CopyDate.class);

    private final TaskStore tasks;
    private final String task;
    private final LocalDate date;
    private final int version;
    private DateHold hold;

    private CopyDate(TaskStore tasks, String task, LocalDate date, int version, DateHold hold) {
        this.tasks = tasks;
        this.task = task;
        this.date = date;
        this.version = version;
        this.hold = hold;
    }

    /**
     * The date a start of {@code version} copies into, held (waiting while another operation holds
     * it) when copies may run: for a rerun, before the task's copies all completed, or for a version
     * not copied yet. A task whose target is not partitioned gets today's date in UTC and no hold.
     *
     * @param stopped whether the runner was asked to stop, which ends a wait for the date
     * @throws dev.ferry.api.error.CancelledException when stopped while waiting for the date
     */
    static CopyDate begin(TaskStore tasks, String task, TaskSpec spec, int version, boolean rerun,
                          ScheduledExecutorService timer, BooleanSupplier stopped) {
        if (spec.partitions() == null) {
            return new CopyDate(tasks, task, LocalDate.ofInstant(tasks.now(), ZoneOffset.UTC), version, null);
        }
        LocalDate today = spec.partitions().partitioning().dateOf(tasks.now());
        LocalDate date;
        if (rerun) {
            tasks.clearTableDates(task);
            tasks.setBaseDate(task, today);
            date = today;
            LOG.info("Task '{}': the rerun copies every table into the partition of Business Date {}", task, today);
        } else if (tasks.copyDate(task).isPresent()) {
            date = tasks.copyDate(task).get();
        } else if (tasks.baseDate(task).isEmpty()) {
            tasks.setBaseDate(task, today);
            date = today;
            LOG.info("Task '{}': Full Initialization writes the partition of Business Date {}", task, today);
        } else if (tasks.copiedVersion(task) == version) {
            return new CopyDate(tasks, task, today, version, null);
        } else {
            date = today; // an Edit: the tables it added are copied into today's partition
        }
        tasks.setCopyDate(task, date);
        DateHold hold = DateHold.take(tasks, task, date, rerun ? "rerun" : "copy", timer, true, stopped);
        return new CopyDate(tasks, task, date, version, hold);
    }

    /** The Business Date the copies of this start write. */
    LocalDate date() {
        return date;
    }

    /** {@code target}, a target table, holds its copy in this date's partition. */
    void copied(String target) {
        if (hold != null) {
            tasks.setTableDate(task, target, date);
        }
    }

    /** Every table is copied: the date is no longer pending, and no longer held. */
    synchronized void completed() {
        if (hold != null) {
            tasks.setCopiedVersion(task, version);
            tasks.clearCopyDate(task);
            close();
        }
    }

    /** Gives the hold up, the date staying pending when the copies did not complete. Idempotent. */
    @Override
    public synchronized void close() {
        if (hold != null) {
            hold.close();
            hold = null;
        }
    }
}
