package dev.ferry.connector.jdbc.capture;

import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Drops and creates triggers while no other session runs a statement.
 *
 * <p>H2 changes a table's list of triggers without locking the table, so a statement going
 * through that list at that moment fails (a concurrent modification, or a dropped trigger called).
 * The triggers to drop are closed first ({@link TriggerGate}) and their running calls waited for,
 * so that no statement is inside them running SQL of its own, which would hide it from
 * {@link OtherSessions#idle}. Then, once the other sessions look idle, H2's exclusive mode
 * ({@code SET EXCLUSIVE 1}) holds their next statements back, and refuses new connections, for the
 * few milliseconds it takes to see them idle twice and change the triggers; when they are not idle
 * the attempt ends at once and is repeated a little later. Exclusive mode needs an admin user, as
 * creating a Java trigger does.
 *
 * @param drops   the triggers to drop
 * @param creates the statements that create triggers
 */
record TriggerChange(List<TriggerName> drops, List<String> creates) {

    /** A trigger: its schema (its table's) and its name. */
    record TriggerName(String schema, String name) {
    }

    /** How long a change tries to find a moment when no other session runs a statement. */
    static final long QUIET_MOMENT_TIMEOUT_MILLIS = 30_000;
    /**
     * How long a session may take from H2's exclusive-mode check to showing its statement: nothing
     * but a thread switch lies between the two, but on a loaded machine a thread may wait for a core
     * that long (5 ms proved too short with every core busy). Other sessions' statements wait this
     * long once per change of the triggers.
     */
    private static final long SETTLE_MILLIS = 50;
    /** H2's code for "the database is in exclusive mode": another session holds it. */
    private static final int IN_EXCLUSIVE_MODE = 90135;

    TriggerChange {
        drops = List.copyOf(drops);
        creates = List.copyOf(creates);
    }

    /**
     * Makes the change on {@code c}, for the triggers of {@code log}.
     *
     * @throws SyncException when no moment without running statements came within
     *         {@value #QUIET_MOMENT_TIMEOUT_MILLIS} ms
     */
    void apply(Connection c, ChangeLog log) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(QUIET_MOMENT_TIMEOUT_MILLIS);
        String database = ChangeLog.databaseKey(c);
        List<String> closing = drops.stream().map(t -> TriggerGate.key(database, t.schema(), t.name())).toList();
        boolean done = false;
        try {
            if (!TriggerGate.close(closing, deadline)) {
                throw noQuietMoment(log, 0);
            }
            for (int attempt = 1; !done; attempt++) {
                done = OtherSessions.awaitIdle(c, deadline) && inExclusiveMode(c, log);
                if (!done && System.nanoTime() > deadline) {
                    throw noQuietMoment(log, attempt);
                }
                if (!done) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.min(100, 5L * attempt)));
                }
            }
        } finally {
            if (done) {
                TriggerGate.forget(closing);
            } else {
                TriggerGate.reopen(closing);
            }
        }
    }

    /** One attempt: true when the triggers were changed. */
    private boolean inExclusiveMode(Connection c, ChangeLog log) throws SQLException {
        try (Statement s = c.createStatement()) {
            try {
                s.execute("SET EXCLUSIVE 1");
            } catch (SQLException e) {
                if (e.getErrorCode() == IN_EXCLUSIVE_MODE) {
                    return false;
                }
                throw e;
            }
            try {
                if (!OtherSessions.idle(c)) {
                    return false;
                }
                // A session that had just passed H2's exclusive-mode check shows its statement by now.
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS));
                if (!OtherSessions.idle(c)) {
                    return false;
                }
                for (TriggerName trigger : drops) {
                    s.execute(log.dropTriggerSql(trigger.schema(), trigger.name()));
                }
                for (String sql : creates) {
                    s.execute(sql);
                }
                return true;
            } finally {
                s.execute("SET EXCLUSIVE 0");
            }
        }
    }

    private static SyncException noQuietMoment(ChangeLog log, int attempts) {
        return new SyncException(ErrorKind.EXTERNAL, "change log " + log.id() + ": other sessions kept running statements for "
                + QUIET_MOMENT_TIMEOUT_MILLIS + " ms (" + attempts + " attempt(s)), so the triggers could not be "
                + "changed without failing one of them; start the stream again");
    }
}
