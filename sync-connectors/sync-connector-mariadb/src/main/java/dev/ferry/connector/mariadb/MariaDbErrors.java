package dev.ferry.connector.mariadb;

import dev.ferry.connector.jdbc.GenericErrors;
import java.sql.SQLException;
import java.util.Set;

/**
 * MariaDB and MySQL error codes on top of the standard SQLStates. The vendor code says more than
 * the SQLState Connector/J reports with it (a killed connection comes as 70100, a truncated value
 * as 01000), so the codes decide: a lost, killed or shut-down connection, a deadlock, a lock wait
 * timeout and an interrupted query are retriable; a value that does not fit its column or breaks
 * a constraint is a data error (the session's strict {@code sql_mode} makes those errors, not
 * warnings); 1146 (no such table) and 1049 (no such database) mean a missing table.
 *
 * <p>Threading: immutable; safe to share.
 */
final class MariaDbErrors extends GenericErrors {

    private static final Set<Integer> DATA_ERROR_CODES = Set.of(
            1048,  // column cannot be null
            1062,  // duplicate entry
            1264,  // out of range value
            1265,  // data truncated
            1292,  // incorrect date/time value
            1364,  // field has no default value
            1366,  // incorrect value for column
            1367,  // illegal value
            1406,  // data too long
            1411,  // incorrect value for function
            1451, 1452,  // foreign key violations
            1690,  // value out of range
            3140,  // invalid JSON (MySQL)
            4025); // CHECK constraint failed
    private static final Set<Integer> RETRIABLE_CODES = Set.of(
            1053,  // server shutdown in progress
            1205,  // lock wait timeout
            1213,  // deadlock
            1317,  // query interrupted (KILL QUERY by someone else)
            1927,  // connection killed
            2006,  // server has gone away
            2013); // lost connection during query

    @Override
    public boolean isUndefinedTable(SQLException error) {
        int code = error.getErrorCode();
        return code == 1146 || code == 1049 || super.isUndefinedTable(error);
    }

    @Override
    protected boolean isRetriableState(SQLException error) {
        return super.isRetriableState(error) || RETRIABLE_CODES.contains(error.getErrorCode());
    }

    @Override
    protected boolean isDataErrorState(SQLException error) {
        return super.isDataErrorState(error) || DATA_ERROR_CODES.contains(error.getErrorCode());
    }
}
