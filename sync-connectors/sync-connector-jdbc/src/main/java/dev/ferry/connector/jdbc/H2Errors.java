package dev.ferry.connector.jdbc;

import java.sql.SQLException;

/**
 * H2 2.x error codes on top of the standard states: its "table/schema not found" codes, and the
 * codes of a broken or closed connection, an aborted session and a lost concurrent update as
 * retriable.
 *
 * <p>Threading: immutable; safe to share.
 */
final class H2Errors extends GenericErrors {

    @Override
    public boolean isUndefinedTable(SQLException error) {
        // 42102, 42103 (with candidates), 42104 (empty database): table not found; 90079 schema not found.
        int code = error.getErrorCode();
        return code == 42102 || code == 42103 || code == 42104 || code == 90079 || super.isUndefinedTable(error);
    }

    @Override
    protected boolean isRetriableState(SQLException error) {
        // 90067 connection broken, 90098 database closed, 90121 closed on shutdown, 90007 object
        // closed (a session aborted by ABORT_SESSION), 90131 concurrent update, 40001 deadlock.
        int code = error.getErrorCode();
        return code == 90067 || code == 90098 || code == 90121 || code == 90007 || code == 90131 || code == 40001
                || super.isRetriableState(error);
    }
}
