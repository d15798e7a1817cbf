package dev.ferry.connector.jdbc.capture;

import dev.ferry.api.change.TableId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What the other sessions of an H2 database are doing, as {@code INFORMATION_SCHEMA.SESSIONS}
 * and {@code INFORMATION_SCHEMA.LOCKS} show it.
 *
 * <p>H2 builds those views from the sessions' live state, and a session ending its transaction
 * while the view is read can fail the query with H2's general error; such a query is run again.
 *
 * <p>Threading: stateless; each call uses the connection it is given.
 */
final class OtherSessions {

    /** How often a waiting caller looks again. */
    static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** H2's code for a general error. */
    private static final int GENERAL_ERROR = 50000;
    private static final int ATTEMPTS = 10;

    private OtherSessions() {
    }

    /** Whether no other session is inside a statement now. */
    static boolean idle(Connection c) throws SQLException {
        return read(() -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM "
                    + "INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID <> SESSION_ID() AND EXECUTING_STATEMENT IS NOT NULL")) {
                rs.next();
                return rs.getLong(1) == 0;
            }
        });
    }

    /** Waits until no other session is inside a statement; false at the deadline. */
    static boolean awaitIdle(Connection c, long deadlineNanos) throws SQLException {
        while (!idle(c)) {
            if (System.nanoTime() > deadlineNanos) {
                return false;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return true;
    }

    /** The other sessions whose open transaction has written one of {@code tables}. */
    static Set<Integer> writing(Connection c, List<TableId> tables) throws SQLException {
        return read(() -> {
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

    /** A query of the views. */
    @FunctionalInterface
    private interface ViewQuery<T> {
        T run() throws SQLException;
    }

    private static <T> T read(ViewQuery<T> query) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                return query.run();
            } catch (SQLException e) {
                if (e.getErrorCode() != GENERAL_ERROR || attempt >= ATTEMPTS) {
                    throw e;
                }
                LockSupport.parkNanos(POLL_NANOS);
            }
        }
    }
}
