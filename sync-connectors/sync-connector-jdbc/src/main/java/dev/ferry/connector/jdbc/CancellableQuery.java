package dev.ferry.connector.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query a split reader is running, so that another thread can cancel it: {@link #cancel}
 * marks the read cancelled and aborts the statement with {@link PreparedStatement#cancel()}, which
 * is what reaches a reader blocked in the driver.
 *
 * <p>Threading: {@link #started} and {@link #ended} on the reader's thread; {@link #cancel} and
 * {@link #isCancelled} from any.
 */
public final class CancellableQuery {

    private static final Logger LOG = LoggerFactory.getLogger(CancellableQuery.class);

    private final String label;
    private volatile PreparedStatement statement;
    private volatile boolean cancelled;

    /** @param label what is read, for the log ({@code "split orders[0,100)"}) */
    public CancellableQuery(String label) {
        this.label = label;
    }

    /** The reader runs {@code running} now. */
    public void started(PreparedStatement running) {
        statement = running;
    }

    /** The reader's statement ended. */
    public void ended() {
        statement = null;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** Marks the read cancelled and aborts the running statement, if any; never throws. */
    public void cancel() {
        cancelled = true;
        PreparedStatement running = statement;
        if (running != null) {
            try {
                running.cancel();
            } catch (SQLException | RuntimeException e) {
                LOG.debug("cancelling the query of {} failed", label, e);
            }
        }
    }
}
