package dev.ferry.connector.jdbc.capture;

import dev.ferry.api.change.TableId;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a stream's {@link ChangeLog} into an H2 database and takes it out again: the change table,
 * the clock and the two triggers of each captured table.
 *
 * <p>Installing is idempotent and never loses a change: the change table and the clock are
 * created only when missing, triggers are added for new tables and dropped for tables that left
 * the stream, and the triggers of the others are left alone. A trigger sees only what is written
 * after it exists, so a transaction that wrote a new table just before could commit after a
 * snapshot is taken and be in neither the copy nor the log; installing therefore waits until every
 * transaction that held a new table open for writing when its trigger was created has ended
 * (H2 lists them in {@code INFORMATION_SCHEMA.LOCKS} until they commit or roll back).
 *
 * <p>Triggers are set in H2's exclusive mode ({@code SET EXCLUSIVE 1}, which needs an admin
 * user, as creating a Java trigger does): H2 changes a table's trigger list without locking the
 * table, and another session's statement firing its triggers at that moment would fail. For those
 * few milliseconds other sessions' statements wait and new connections are refused.
 *
 * <p>Threading: one thread, on a connection it is given (in auto-commit: H2 commits each DDL
 * statement).
 */
final class ChangeLogInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeLogInstaller.class);
    /** How long installing waits for transactions that were writing a new table to end. */
    static final long OPEN_WRITERS_TIMEOUT_MILLIS = 30_000;
    private static final long OPEN_WRITERS_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** How long setting triggers tries to find a moment when no other session runs a statement. */
    static final long QUIET_MOMENT_TIMEOUT_MILLIS = 30_000;
    /** H2's code for a general error, which its session views fail with when a session changes under them. */
    private static final int GENERAL_ERROR = 50000;
    private static final int SESSION_VIEW_ATTEMPTS = 10;
    /** H2's code for "the database is in exclusive mode": another session holds it. */
    private static final int IN_EXCLUSIVE_MODE = 90135;
    /** How long a session may take from H2's exclusive-mode check to showing its statement. */
    private static final long QUIET_MOMENT_SETTLE_MILLIS = 5;

    private final ChangeLog log;

    ChangeLogInstaller(ChangeLog log) {
        this.log = log;
    }

    /** Whether the stream's change table exists. */
    boolean exists(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = ? "
                + "AND TABLE_NAME = ?")) {
            ps.setString(1, ChangeLog.SCHEMA);
            ps.setString(2, log.changesTable());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Creates what is missing and sets the triggers to exactly {@code tables}.
     *
     * @return the tables that got a trigger now
     * @throws SyncException when a transaction that was writing a new table stays open for
     *         {@value #OPEN_WRITERS_TIMEOUT_MILLIS} ms
     */
    List<TableId> install(Connection c, List<TableId> tables) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : log.createSql()) {
                s.execute(sql);
            }
        }
        List<TriggerName> existing = triggers(c);
        Set<TriggerName> wanted = new LinkedHashSet<>();
        for (TableId table : tables) {
            wanted.add(new TriggerName(table.schema(), log.lockTriggerName(table.name())));
            wanted.add(new TriggerName(table.schema(), log.rowTriggerName(table.name())));
        }
        List<TriggerName> dropped = existing.stream().filter(t -> !wanted.contains(t)).toList();
        List<String> creates = new ArrayList<>();
        List<TableId> added = new ArrayList<>();
        for (TableId table : tables) {
            if (!existing.contains(new TriggerName(table.schema(), log.lockTriggerName(table.name())))) {
                creates.add(log.createLockTriggerSql(table.schema(), table.name()));
            }
            if (!existing.contains(new TriggerName(table.schema(), log.rowTriggerName(table.name())))) {
                creates.add(log.createRowTriggerSql(table.schema(), table.name()));
                added.add(table);
            }
        }
        if (!dropped.isEmpty() || !creates.isEmpty()) {
            changeTriggers(c, dropped, creates);
            LOG.info("change log {}: triggers set on {} ({} table(s) added, {} trigger(s) dropped)", log.id(), tables,
                    added.size(), dropped.size());
        }
        if (!added.isEmpty()) {
            awaitOpenWriters(c, added);
        }
        return added;
    }

    /** Removes every trigger of the stream, its change table and clock, and the schema when nothing else is in it. */
    void uninstall(Connection c) throws SQLException {
        List<TriggerName> triggers = triggers(c);
        if (!triggers.isEmpty()) {
            changeTriggers(c, triggers, List.of());
        }
        try (Statement s = c.createStatement()) {
            for (String sql : log.dropSql()) {
                s.execute(sql);
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = '"
                    + ChangeLog.SCHEMA + "'")) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    s.execute("DROP SCHEMA IF EXISTS " + ChangeLog.quote(ChangeLog.SCHEMA) + " RESTRICT");
                }
            }
        }
        LOG.info("change log {}: triggers, change table and clock dropped", log.id());
    }

    /** A trigger: its schema (its table's) and its name. */
    private record TriggerName(String schema, String name) {
    }

    /** The stream's triggers. */
    private List<TriggerName> triggers(Connection c) throws SQLException {
        List<TriggerName> triggers = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(log.triggersSql())) {
            while (rs.next()) {
                triggers.add(new TriggerName(rs.getString(1), rs.getString(2)));
            }
        }
        return triggers;
    }

    /**
     * Drops and creates triggers while no other session runs a statement. H2 changes a table's
     * list of triggers without locking the table, so a statement going through that list at that
     * moment would fail. The triggers to drop are closed first ({@link TriggerGate}) and their
     * running calls waited for, so no statement is inside them running SQL of its own (which would
     * hide it from {@code INFORMATION_SCHEMA.SESSIONS}). Then, once the others look idle, H2's
     * exclusive mode holds their next statements back (and refuses new connections) for the few
     * milliseconds it takes to see them idle twice and change the triggers; when they are not idle
     * the attempt ends at once and is repeated a little later.
     *
     * @throws SyncException when no moment without running statements came within
     *         {@value #QUIET_MOMENT_TIMEOUT_MILLIS} ms
     */
    private void changeTriggers(Connection c, List<TriggerName> drops, List<String> creates) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(QUIET_MOMENT_TIMEOUT_MILLIS);
        String database = ChangeLog.databaseKey(c);
        List<String> closing = drops.stream().map(t -> TriggerGate.key(database, t.schema(), t.name())).toList();
        boolean done = false;
        try {
            if (!TriggerGate.close(closing, deadline)) {
                throw noQuietMoment(0);
            }
            for (int attempt = 1; !done; attempt++) {
                done = awaitOthersIdle(c, deadline) && inExclusiveMode(c, drops, creates);
                if (!done && System.nanoTime() > deadline) {
                    throw noQuietMoment(attempt);
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
    private boolean inExclusiveMode(Connection c, List<TriggerName> drops, List<String> creates) throws SQLException {
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
                if (!othersIdle(c)) {
                    return false;
                }
                // A session that had just passed H2's exclusive-mode check shows its statement by now.
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(QUIET_MOMENT_SETTLE_MILLIS));
                if (!othersIdle(c)) {
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

    private SyncException noQuietMoment(int attempts) {
        return new SyncException(ErrorKind.EXTERNAL, "change log " + log.id() + ": other sessions kept running "
                + "statements for " + QUIET_MOMENT_TIMEOUT_MILLIS + " ms (" + attempts + " attempt(s)), so the triggers "
                + "could not be changed without failing one of them; start the stream again");
    }

    /** Waits until no other session is inside a statement; false at the deadline. */
    private static boolean awaitOthersIdle(Connection c, long deadlineNanos) throws SQLException {
        while (!othersIdle(c)) {
            if (System.nanoTime() > deadlineNanos) {
                return false;
            }
            LockSupport.parkNanos(OPEN_WRITERS_POLL_NANOS);
        }
        return true;
    }

    /** Whether no other session is inside a statement now. */
    private static boolean othersIdle(Connection c) throws SQLException {
        return sessionView(() -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM "
                    + "INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID <> SESSION_ID() AND EXECUTING_STATEMENT IS NOT NULL")) {
                rs.next();
                return rs.getLong(1) == 0;
            }
        });
    }

    /**
     * Waits until no session that held one of {@code tables} open for writing when this was
     * called holds it any more. A session seen without such a lock once has ended that
     * transaction; whatever it writes later goes through the trigger.
     */
    private void awaitOpenWriters(Connection c, List<TableId> tables) throws SQLException {
        Set<Integer> waiting = writers(c, tables);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(OPEN_WRITERS_TIMEOUT_MILLIS);
        while (!waiting.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new SyncException(ErrorKind.EXTERNAL, "session(s) " + waiting + " kept a transaction open for "
                        + OPEN_WRITERS_TIMEOUT_MILLIS + " ms that wrote " + tables + " before change capture began: its "
                        + "earlier changes would be in neither the copy nor the change log. Commit or roll it back, "
                        + "then start the stream again");
            }
            LockSupport.parkNanos(OPEN_WRITERS_POLL_NANOS);
            waiting.retainAll(writers(c, tables));
        }
    }

    private static Set<Integer> writers(Connection c, List<TableId> tables) throws SQLException {
        return sessionView(() -> {
            Set<Integer> sessions = new LinkedHashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT SESSION_ID FROM INFORMATION_SCHEMA.LOCKS "
                    + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND SESSION_ID <> SESSION_ID()")) {
                for (TableId table : tables) {
                    ps.setString(1, table.schema());
                    ps.setString(2, table.name());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            sessions.add(rs.getInt(1));
                        }
                    }
                }
            }
            return sessions;
        });
    }

    /** A query of H2's views of the other sessions. */
    @FunctionalInterface
    private interface SessionQuery<T> {
        T run() throws SQLException;
    }

    /**
     * Runs a query of H2's views of the other sessions, again when it failed with H2's general
     * error: H2 reads those sessions' live state, and one ending its transaction meanwhile can
     * fail the query.
     */
    private static <T> T sessionView(SessionQuery<T> query) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                return query.run();
            } catch (SQLException e) {
                if (e.getErrorCode() != GENERAL_ERROR || attempt >= SESSION_VIEW_ATTEMPTS) {
                    throw e;
                }
                LockSupport.parkNanos(OPEN_WRITERS_POLL_NANOS);
            }
        }
    }
}
