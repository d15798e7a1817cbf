package dev.ferry.connector.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Standard classification by SQLState class, JDBC exception type and I/O cause, along the whole chain. */
class GenericErrorsTest {

    private final ErrorClassifier errors = new GenericDialect().errors();

    @ParameterizedTest
    @ValueSource(strings = {"08000", "08001", "08003", "08006", "08S01", "40001"})
    void connectionStatesAndSerializationFailuresAreRetriable(String state) {
        assertTrue(errors.isRetriable(new SQLException("x", state)));
    }

    @Test
    void connectionAndRollbackExceptionTypesAreRetriableWithoutAState() {
        assertTrue(errors.isRetriable(new SQLTransientConnectionException("pool timeout")));
        assertTrue(errors.isRetriable(new SQLTransactionRollbackException("deadlock")));
    }

    @Test
    void anIoFailureAnywhereInTheChainIsRetriable() {
        assertTrue(errors.isRetriable(new SQLException("read failed", null, new SocketTimeoutException("Read timed out"))));
        BatchUpdateException batch = new BatchUpdateException("batch failed", "HY000", new int[0]);
        batch.setNextException(new SQLException("gone", "08006"));
        assertTrue(errors.isRetriable(batch));
    }

    @ParameterizedTest
    @ValueSource(strings = {"22001", "22003", "22P02", "23502", "23505", "42601", "42S02", "HY000"})
    void statementFailuresAreNotRetriable(String state) {
        assertFalse(errors.isRetriable(new SQLException("x", state)));
    }

    @Test
    void dataExceptionsAndConstraintViolationsAreDataErrors() {
        assertTrue(errors.isDataError(new SQLException("value too long", "22001")));
        assertTrue(errors.isDataError(new SQLException("duplicate key", "23505")));
        BatchUpdateException batch = new BatchUpdateException("batch failed", "HY000", new int[0]);
        batch.setNextException(new SQLException("null value", "23502"));
        assertTrue(errors.isDataError(batch));
        assertFalse(errors.isDataError(new SQLException("syntax error", "42601")));
        assertFalse(errors.isDataError(new SQLException("gone", "08006")));
        assertFalse(errors.isDataError(new SQLException("no state")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"42S02", "42S03", "42S04", "42P01", "3F000", "42Y07"})
    void missingTableAndSchemaStates(String state) {
        assertTrue(errors.isUndefinedTable(new SQLException("x", state)));
    }

    @Test
    void otherFailuresAreNotAMissingTable() {
        assertFalse(errors.isUndefinedTable(new SQLException("syntax error", "42601")));
        assertFalse(errors.isUndefinedTable(new SQLException("permission denied", "42501")));
        SQLException chained = new SQLException("batch failed", "HY000");
        chained.setNextException(new SQLException("no such table", "42S02"));
        assertTrue(errors.isUndefinedTable(chained));
    }

    @Test
    void describeGivesTheReasonWithItsState() {
        assertEquals("value too long [SQLState 22001]", errors.describe(new SQLException(" value too long\n", "22001")));
        assertEquals("SQLException", errors.describe(new SQLException()));
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 was aborted", "22001", new int[0]);
        batch.setNextException(new SQLException("value too long for column a", "22001"));
        assertEquals("value too long for column a [SQLState 22001]", errors.describe(batch));
        assertEquals("I/O error (SocketTimeoutException: Read timed out) [SQLState 08006]",
                errors.describe(new SQLException("I/O error", "08006", new SocketTimeoutException("Read timed out"))));
        assertEquals("I/O error (IOException)", errors.describe(new SQLException("I/O error", new IOException())));
    }
}
