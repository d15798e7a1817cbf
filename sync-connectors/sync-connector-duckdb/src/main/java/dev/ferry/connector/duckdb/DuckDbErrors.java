package dev.ferry.connector.duckdb;

import dev.ferry.connector.jdbc.GenericErrors;
import java.sql.SQLException;

/**
 * DuckDB's failures, told apart by the error type that starts DuckDB's message
 * ({@code "Constraint Error: …"}), since its driver reports neither SQLStates nor vendor codes:
 * a write-write conflict between two transactions is retriable; constraint, conversion,
 * out-of-range and invalid-input errors are data errors; a catalog error about a table or schema
 * that does not exist is a missing table.
 *
 * <p>Threading: immutable; safe to share.
 */
final class DuckDbErrors extends GenericErrors {

    @Override
    protected boolean isRetriableState(SQLException error) {
        String message = error.getMessage();
        return super.isRetriableState(error)
                || message != null && message.startsWith("TransactionContext Error") && message.contains("onflict");
    }

    @Override
    protected boolean isDataErrorState(SQLException error) {
        String message = error.getMessage();
        return super.isDataErrorState(error) || message != null && (message.startsWith("Constraint Error")
                || message.startsWith("Conversion Error") || message.startsWith("Out of Range Error")
                || message.startsWith("Invalid Input Error"));
    }

    @Override
    public boolean isUndefinedTable(SQLException error) {
        String message = error.getMessage();
        return super.isUndefinedTable(error) || message != null && message.startsWith("Catalog Error")
                && (message.contains("Table with name") || message.contains("Schema with name"))
                && message.contains("does not exist");
    }
}
