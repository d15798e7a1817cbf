package dev.ferry.engine.task;

import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task's Business Date held for one data-writing operation (a merge, a backfill): taken in the
 * task store so that no other operation writes the date meanwhile, in any process, renewed every
 * {@link #TTL} / 6 while held and given up on {@link #close}. A holder that dies loses the date
 * once its hold expires, or at once on the same host.
 */
final class DateHold implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DateHold.class);
    /** How long a date stays held without being renewed. */
    static final Duration TTL = Duration.ofSeconds(60);

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
     * Holds {@code date} for {@code operation} ({@code merge}, {@code backfill}).
     *
     * @throws dev.ferry.api.error.SyncException naming the operation that holds it
     */
    static DateHold take(TaskStore tasks, String task, LocalDate date, String operation, ScheduledExecutorService timer) {
        String holder = TaskStore.holderName() + " " + operation;
        tasks.lockDate(task, date, holder, TTL);
        return new DateHold(tasks, task, date, holder, timer);
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
