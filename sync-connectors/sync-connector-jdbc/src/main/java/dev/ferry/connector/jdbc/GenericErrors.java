package dev.ferry.connector.jdbc;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;

/**
 * Standard error classification: the one of the generic {@code jdbc} connector and the base that
 * each database's classifier refines. Retriable are JDBC's connection and rollback exception types,
 * any I/O failure in the chain, connection exceptions (SQLState class 08) and serialization
 * failures (40001); data errors are data exceptions (class 22) and integrity constraint violations
 * (class 23); a missing table is one of the standard and common "no such table or schema" states.
 *
 * <p>Subclasses add their database's states and vendor error codes through
 * {@link #isRetriableState} and {@link #isDataErrorState}, which are asked for every exception of
 * the chain, and override {@link #isUndefinedTable} calling it for the rest.
 *
 * <p>Threading: immutable; safe to share.
 */
public class GenericErrors implements ErrorClassifier {

    /** The standard classification. */
    public GenericErrors() {
    }

    @Override
    public boolean isRetriable(SQLException error) {
        for (Throwable t = error; t != null; t = next(t)) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException || t instanceof SQLTransactionRollbackException) {
                return true;
            }
            if (t instanceof SQLException sql && isRetriableState(sql)) {
                return true;
            }
            if (t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }

    /** Connection exceptions (class 08) and serialization failures. */
    protected boolean isRetriableState(SQLException error) {
        String state = error.getSQLState();
        return state != null && (state.startsWith("08") || state.equals("40001"));
    }

    @Override
    public boolean isDataError(SQLException error) {
        for (Throwable t = error; t != null; t = next(t)) {
            if (t instanceof SQLException sql && isDataErrorState(sql)) {
                return true;
            }
        }
        return false;
    }

    /** Data exceptions (class 22) and integrity constraint violations (class 23). */
    protected boolean isDataErrorState(SQLException error) {
        String state = error.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    @Override
    public boolean isUndefinedTable(SQLException error) {
        for (SQLException e = error; e != null; e = e.getNextException()) {
            String state = e.getSQLState();
            if ("42S02".equals(state) || "42S03".equals(state) || "42S04".equals(state) || "42P01".equals(state) || "3F000".equals(state) || "42Y07".equals(state)) {
                return true;
            }
        }
        return false;
    }

    /** The next exception in a chain: {@code getNextException} for SQL errors, else the cause. */
    protected static Throwable next(Throwable t) {
        if (t instanceof SQLException sql && sql.getNextException() != null && sql.getNextException() != t) {
            return sql.getNextException();
        }
        return t.getCause() == t ? null : t.getCause();
    }

    @Override
    public String describe(SQLException error) {
        SQLException reported = error;
        if (error instanceof BatchUpdateException && error.getNextException() != null) {
            reported = error.getNextException();
        }
        String message = reported.getMessage() == null ? reported.getClass().getSimpleName() : reported.getMessage().strip();
        // Name the network failure behind an I/O error (a read timeout, a reset connection).
        for (Throwable t = reported.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof java.io.IOException) {
                message += " (" + t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage()) + ")";
                break;
            }
        }
        return reported.getSQLState() == null ? message : message + " [SQLState " + reported.getSQLState() + "]";
    }
}
