package dev.ferry.connector.mariadb;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.connector.jdbc.ErrorClassifier;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** MariaDB's vendor codes as the dialect classifies them, whatever SQLState comes with them. */
class MariaDbErrorsTest {

    private final ErrorClassifier errors = MariaDbDialect.mariadb().errors();

    /** Shutdown, lock wait timeout, deadlock, interrupted query, killed connection, server gone, connection lost. */
    @ParameterizedTest
    @ValueSource(ints = {1053, 1205, 1213, 1317, 1927, 2006, 2013})
    void lostSessionsAndTransactionsAreRetriable(int code) {
        SQLException error = new SQLException("x", "HY000", code);
        assertTrue(errors.isRetriable(error));
        assertFalse(errors.isDataError(error));
    }

    /** NOT NULL, duplicate, out of range, truncated, bad date, no default, bad value, too long, foreign key, JSON, CHECK. */
    @ParameterizedTest
    @ValueSource(ints = {1048, 1062, 1264, 1265, 1292, 1364, 1366, 1367, 1406, 1411, 1451, 1452, 1690, 3140, 4025})
    void valuesThatDoNotFitAreDataErrors(int code) {
        SQLException error = new SQLException("x", "HY000", code);
        assertTrue(errors.isDataError(error));
        assertFalse(errors.isRetriable(error));
    }

    @Test
    void missingTableOrDatabaseIsUndefined() {
        assertTrue(errors.isUndefinedTable(new SQLException("Table 'test.t' doesn't exist", "42S02", 1146)));
        assertTrue(errors.isUndefinedTable(new SQLException("Unknown database 'nope'", "42000", 1049)));
        assertFalse(errors.isUndefinedTable(new SQLException("Unknown column 'c'", "42S22", 1054)));
    }

    @Test
    void syntaxAndPermissionErrorsAreNeither() {
        for (int code : new int[] {1064, 1142, 1054}) {
            SQLException error = new SQLException("x", "42000", code);
            assertFalse(errors.isRetriable(error), Integer.toString(code));
            assertFalse(errors.isDataError(error), Integer.toString(code));
        }
    }

    @Test
    void standardStatesStillCount() {
        assertTrue(errors.isRetriable(new SQLException("socket closed", "08000", 0)));
        assertTrue(errors.isDataError(new SQLException("check failed", "23000", 0)));
    }
}
