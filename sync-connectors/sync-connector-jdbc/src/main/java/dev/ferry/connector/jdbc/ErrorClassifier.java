package dev.ferry.connector.jdbc;

import java.sql.SQLException;

/**
 * What one database's failures mean: whether trying again may succeed, whether the row's values
 * are to blame, whether a table is missing, and the database's reason in words.
 *
 * <p>Callers decide what to do with the answer: {@link ErrorTranslator} turns a failure into a
 * retriable or external error, {@link RowReplay} reports data errors as dirty rows, and
 * {@link ResolvedTable} tries the next spelling of a missing table. Every method looks at the
 * whole chain of the failure (its next exceptions and causes) where the generic rules say so.
 *
 * <p>{@link GenericErrors} implements it with SQLState classes and JDBC's exception types; each
 * database's classifier extends that with its own states and error codes. A dialect exposes its
 * classifier as {@link Dialect#errors()}.
 *
 * <p>Threading: implementations are immutable and safe to share.
 */
public interface ErrorClassifier {

    /**
     * Whether the failure is about the connection or the transaction rather than the statement (a
     * dropped connection, an administrator shutdown, a deadlock): trying the split again may
     * succeed.
     */
    boolean isRetriable(SQLException error);

    /** Whether the failure is about the values of the row (too long, out of range, NOT NULL…). */
    boolean isDataError(SQLException error);

    /** Whether a failure means the table (or its schema) does not exist. */
    boolean isUndefinedTable(SQLException error);

    /**
     * The database's reason for a dirty row or a message, with its SQLState; the caller masks
     * secrets with the endpoint's {@link Redactor}.
     */
    String describe(SQLException error);
}
