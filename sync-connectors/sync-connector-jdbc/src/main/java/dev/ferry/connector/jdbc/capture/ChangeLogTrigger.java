package dev.ferry.connector.jdbc.capture;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.api.Trigger;

/**
 * What the change log's triggers share: they find their stream and table in their own name
 * ({@link ChangeLog#ownerOf}), and every call goes through their {@link TriggerGate}, which
 * returns at once, without any SQL, once the trigger is about to be dropped.
 *
 * <p>Threading: H2 calls {@code fire} from the writing sessions' threads at once; what a trigger
 * keeps is written in {@code init}.
 */
abstract class ChangeLogTrigger implements Trigger {

    private volatile String gate;

    @Override
    public final void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before,
                           int type) throws SQLException {
        ChangeLog.Owner owner;
        try {
            owner = ChangeLog.ownerOf(triggerName, tableName);
        } catch (IllegalArgumentException e) {
            throw new SQLException(e.getMessage(), e);
        }
        gate = TriggerGate.key(ChangeLog.databaseKey(conn), schemaName, owner.trigger());
        init(conn, schemaName, tableName, owner);
    }

    /**
     * Prepares the trigger.
     *
     * @param tableName the table as H2 names it now: while H2 alters a table, its copy
     */
    abstract void init(Connection conn, String schemaName, String tableName, ChangeLog.Owner owner) throws SQLException;

    @Override
    public final void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        TriggerGate.Pass pass = TriggerGate.enter(gate);
        if (pass == null) {
            return;
        }
        try (pass) {
            call(conn, oldRow, newRow);
        }
    }

    /** One call, let through the gate; {@code oldRow} and {@code newRow} as H2 gives them to {@link #fire}. */
    abstract void call(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException;
}
