package dev.ferry.engine.task;

import dev.ferry.api.error.CancelledException;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task's Business Date held for one data-writing operation (a merge, a backfill, a rerun's or
 * an initialization's copy): taken in the
 * task store so that no other operation writes the date meanwhile, in any process, renewed every
 * {@link #TTL} / 6 while held and given up on {@link #close}. A holder that dies loses the date
 * once its hold expires, or at once on the same host.
 */
final class DateHold implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DateHold.class);
    /** How long a date stays held without being renewed. */
    static final Duration TTL = Duration.ofSeconds(60);
    /** How often a waiting operation tries the date again. */
    static final Duration POLL = Duration.ofMillis(500);

    private final TaskStore tasks;
    private final String task;
    private final LocalDate date;
    private final String holder;
    private final ScheduledFuture<?> renewing;

    private DateHold(TaskStore tasks, String task, LocalDate date, String holder, ScheduledExecutorService timer) {
        this.tasks = tasks;
        this.task = task;
        this.date = date;
        this.holder = holder;
        long every = TTL.toMillis() / 6;
        this.renewing = timer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Holds {@code date} for {@code operation}; with {@code wait}, waits while another operation
     * holds it (polling the task store every {@link #POLL}) instead of failing.
     *
     * @throws dev.ferry.api.error.SyncException naming the operation that holds it, when not waiting
     * @throws CancelledException when interrupted while waiting
     */
    static DateHold take(TaskStore tasks, String task, LocalDate date, String operation, ScheduledExecutorService timer,
                         boolean wait) {
        return take(tasks, task, date, operation, timer, wait, () -> false);
    }

    /**
     * Holds {@code date} for {@code operation}; with {@code wait}, waits while another operation
     * holds it, until {@code cancelled} says to stop waiting.
     *
     * @throws dev.ferry.api.error.SyncException naming the operation that holds it, when not waiting
     * @throws CancelledException when interrupted or cancelled while waiting
     */
    static DateHold take(TaskStore tasks, String task, LocalDate date, String operation, ScheduledExecutorService timer,
                         boolean wait, BooleanSupplier cancelled) {
        String holder = TaskStore.holderName() + " " + operation;
        boolean logged = false;
        while (true) {
            try {
                tasks.lockDate(task, date, holder, TTL);
                return new DateHold(tasks, task, date, holder, timer);
            } catch (SyncException held) {
                if (held.kind() != ErrorKind.CONFIGURATION || !wait) {
                    throw held;
                }
                if (cancelled.getAsBoolean()) {
                    throw new CancelledException("the " + operation + " of " + date + " of task '" + task
                            + "' stopped waiting for its Business Date: " + held.getMessage());
                }
                if (!logged) {
                    LOG.info("Task '{}': the {} of {} waits: {}", task, operation, date, held.getMessage());
                    logged = true;
                }
            }
            LockSupport.parkNanos(POLL.toNanos());
            if (Thread.currentThread().isInterrupted()) {
                throw new CancelledException("the " + operation + " of " + date + " of task '" + task
                        + "' was interrupted while waiting for its Business Date");
            }
        }
    }

    private void renew() {
        try {
            tasks.renewDate(task, date, holder, TTL);
        } catch (RuntimeException e) {
            LOG.warn("Task '{}': could not renew the hold on {}: {}", task, date, e.getMessage());
        }
    }

    @Override
    public void close() {
        renewing.cancel(false);
        tasks.unlockDate(task, date, holder);
    }
}
