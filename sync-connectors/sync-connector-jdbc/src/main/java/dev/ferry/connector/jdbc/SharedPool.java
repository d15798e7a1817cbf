package dev.ferry.connector.jdbc;

import dev.ferry.api.JobContext;
import java.util.Objects;

/**
 * One endpoint's pool shared by the sources or targets that copy the tables of a stream: the first
 * to prepare opens it, sized from the concurrency the copy was granted, and it closes when the last
 * one closes, or with its owner. So a copy of 50 tables on 4 channels holds the connections of 4
 * channels, not a pool per table.
 *
 * <p>Threading: safe for concurrent use.
 */
public final class SharedPool implements AutoCloseable {

    private final Dialect dialect;
    private final JdbcEndpoint endpoint;
    private final String role;
    private final int headroom;
    private ConnectionPool pool;
    private int users;

    /**
     * @param role     what the pool is for, in its name ({@code "copy"})
     * @param headroom connections beyond the context's concurrency (for planning, for a snapshot)
     */
    public SharedPool(Dialect dialect, JdbcEndpoint endpoint, String role, int headroom) {
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.role = Objects.requireNonNull(role, "role");
        this.headroom = headroom;
    }

    /**
     * The pool, opened on first use with {@code context.concurrency()} plus the headroom; every
     * call must be matched by a {@link #release}.
     */
    public synchronized ConnectionPool acquire(JobContext context) {
        if (pool == null) {
            pool = ConnectionPool.open(dialect, endpoint, "ferry-" + context.jobName() + "-" + role,
                    context.concurrency() + headroom);
        }
        users++;
        return pool;
    }

    /** Ends one {@link #acquire}; the last one closes the pool. */
    public synchronized void release() {
        if (users > 0 && --users == 0 && pool != null) {
            pool.close();
            pool = null;
        }
    }

    /** Ends a user's hold on {@code pool}: released when it came from {@code shared}, else closed. */
    static void giveBack(ConnectionPool pool, SharedPool shared) {
        if (pool == null) {
            return;
        }
        if (shared != null) {
            shared.release();
        } else {
            pool.close();
        }
    }

    /** Closes the pool whoever still uses it (a later {@link #acquire} opens a new one); idempotent. */
    @Override
    public synchronized void close() {
        users = 0;
        if (pool != null) {
            pool.close();
            pool = null;
        }
    }
}
