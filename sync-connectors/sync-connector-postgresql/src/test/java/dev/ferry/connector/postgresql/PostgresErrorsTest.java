package dev.ferry.connector.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.connector.jdbc.ErrorClassifier;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PostgreSQL's SQLStates as the dialect classifies them, without a server. */
class PostgresErrorsTest {

    private final ErrorClassifier errors = new PostgresDialect().errors();

    /**
     * 40P01 deadlock, 57P01 terminated by an administrator, 57P02 crash shutdown, 57P03 starting
     * up, 53300 too many connections, and the standard 08006 and 40001.
     */
    @ParameterizedTest
    @ValueSource(strings = {"40P01", "57P01", "57P02", "57P03", "53300", "08006", "40001"})
    void sessionAndTransactionFailuresAreRetriable(String state) {
        SQLException error = new SQLException("x", state);
        assertTrue(errors.isRetriable(error));
        assertFalse(errors.isDataError(error));
    }

    /** 54000 a value too big for an index row, 22P02 bad text for the type, 22001 too long, 23505 duplicate key. */
    @ParameterizedTest
    @ValueSource(strings = {"54000", "22P02", "22001", "22008", "23502", "23505"})
    void valueFailuresAreDataErrors(String state) {
        SQLException error = new SQLException("x", state);
        assertTrue(errors.isDataError(error));
        assertFalse(errors.isRetriable(error));
    }

    @Test
    void missingRelationOrSchemaIsUndefined() {
        assertTrue(errors.isUndefinedTable(new SQLException("relation \"t\" does not exist", "42P01")));
        assertTrue(errors.isUndefinedTable(new SQLException("schema \"s\" does not exist", "3F000")));
        assertFalse(errors.isUndefinedTable(new SQLException("column \"c\" does not exist", "42703")));
    }

    @Test
    void statementFailuresAreNeither() {
        for (String state : new String[] {"42601", "42501", "42703", null}) {
            SQLException error = new SQLException("x", state);
            assertFalse(errors.isRetriable(error), state);
            assertFalse(errors.isDataError(error), state);
        }
    }

    @Test
    void describeKeepsTheServersReason() {
        assertEquals("ERROR: value too long for type character varying(3) [SQLState 22001]",
                errors.describe(new SQLException("ERROR: value too long for type character varying(3)", "22001")));
    }
}
