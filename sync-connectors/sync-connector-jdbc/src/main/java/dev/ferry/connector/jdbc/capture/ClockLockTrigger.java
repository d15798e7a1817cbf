package dev.ferry.connector.jdbc.capture;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.h2.engine.Session;
import org.h2.jdbc.JdbcConnection;

/**
 * The statement trigger that takes the stream's clock lock before an insert, update or delete of
 * a captured table touches its first row.
 *
 * <p>{@link ChangeTrigger} takes the clock when it numbers a change, which is after H2 has locked
 * the changed row. Two transactions that change several rows could then each hold a row the other
 * wants while one waits for the clock: a deadlock that capture alone would cause. Taking the clock
 * first, at the start of every statement on a captured table, orders the locks the same way in
 * every transaction that writes only captured tables, so capture adds no deadlock among them.
 *
 * <p>In auto-commit, H2 would commit the lock query as soon as it ran (and with it release the
 * lock); the trigger therefore runs it with the session's auto-commit off, so the lock is held
 * until the statement's own commit. That reaches into H2's session ({@code org.h2.engine}), which
 * is why this works with an embedded database only, as the row trigger does.
 *
 * <p>Threading: H2 calls {@code fire} from the writing sessions' threads at once; the field is
 * written in {@code init}.
 */
public final class ClockLockTrigger extends ChangeLogTrigger {

    private volatile String lockSql;

    @Override
    void init(Connection conn, String schemaName, String tableName, ChangeLog.Owner owner) {
        lockSql = owner.log().lockClockSql();
    }

    @Override
    void call(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        Session session = conn.unwrap(JdbcConnection.class).getSession();
        boolean autoCommit = session.getAutoCommit();
        if (autoCommit) {
            session.setAutoCommit(false);
        }
        try (PreparedStatement lock = conn.prepareStatement(lockSql); ResultSet rs = lock.executeQuery()) {
            rs.next();
        } finally {
            if (autoCommit) {
                session.setAutoCommit(true);
            }
        }
    }
}
