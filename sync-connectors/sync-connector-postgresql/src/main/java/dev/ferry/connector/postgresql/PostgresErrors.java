package dev.ferry.connector.postgresql;

import dev.ferry.connector.jdbc.GenericErrors;
import java.sql.SQLException;

/**
 * PostgreSQL SQLStates on top of the standard ones: a detected deadlock, a terminated or crashed
 * backend, a server starting up and too many connections are retriable; a value too big for an
 * index row is a data error. Missing tables (42P01, 3F000) are standard states already.
 *
 * <p>Threading: immutable; safe to share.
 */
final class PostgresErrors extends GenericErrors {

    @Override
    protected boolean isRetriableState(SQLException error) {
        String state = error.getSQLState();
        if (state == null) {
            return false;
        }
        return super.isRetriableState(error)
                || state.equals("40P01")   // deadlock detected
                || state.equals("57P01")   // admin_shutdown: pg_terminate_backend, fast shutdown
                || state.equals("57P02")   // crash_shutdown
                || state.equals("57P03")   // cannot_connect_now: starting up
                || state.equals("53300");  // too_many_connections
    }

    @Override
    protected boolean isDataErrorState(SQLException error) {
        // 54000 program_limit_exceeded: a value too big for an index row.
        return super.isDataErrorState(error) || "54000".equals(error.getSQLState());
    }
}
