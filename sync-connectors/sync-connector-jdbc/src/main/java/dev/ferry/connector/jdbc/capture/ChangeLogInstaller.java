package dev.ferry.connector.jdbc.capture;

import dev.ferry.api.change.TableId;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.connector.jdbc.capture.TriggerChange.TriggerName;
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
 * <p>Triggers are changed as a {@link TriggerChange}, while no other session is in a statement.
 *
 * <p>Threading: one thread, on a connection it is given (in auto-commit: H2 commits each DDL
 * statement).
 */
final class ChangeLogInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeLogInstaller.class);
    /** How long installing waits for transactions that were writing a new table to end. */
    static final long OPEN_WRITERS_TIMEOUT_MILLIS = 30_000;

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
            new TriggerChange(dropped, creates).apply(c, log);
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
            new TriggerChange(triggers, List.of()).apply(c, log);
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
     * Waits until no session that held one of {@code tables} open for writing when this was
     * called holds it any more. A session seen without such a lock once has ended that
     * transaction; whatever it writes later goes through the trigger.
     */
    private void awaitOpenWriters(Connection c, List<TableId> tables) throws SQLException {
        Set<Integer> waiting = OtherSessions.writing(c, tables);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(OPEN_WRITERS_TIMEOUT_MILLIS);
        while (!waiting.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new SyncException(ErrorKind.EXTERNAL, "session(s) " + waiting + " kept a transaction open for "
                        + OPEN_WRITERS_TIMEOUT_MILLIS + " ms that wrote " + tables + " before change capture began: its "
                        + "earlier changes would be in neither the copy nor the change log. Commit or roll it back, "
                        + "then start the stream again");
            }
            LockSupport.parkNanos(OtherSessions.POLL_NANOS);
            waiting.retainAll(OtherSessions.writing(c, tables));
        }
    }
}
