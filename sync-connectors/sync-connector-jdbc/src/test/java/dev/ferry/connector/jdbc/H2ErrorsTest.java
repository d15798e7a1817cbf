package dev.ferry.connector.jdbc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.connector.jdbc.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** H2's error codes, taken from real failures of an in-memory database where one can be provoked. */
class H2ErrorsTest {

    private static final TestDatabase DB = TestDatabase.h2("h2_errors_test");

    private final ErrorClassifier errors = new H2Dialect().errors();

    @Test
    void aMissingTableOrSchemaIsUndefined() throws SQLException {
        SQLException table = failure("SELECT * FROM no_such_table");
        assertTrue(errors.isUndefinedTable(table));
        assertFalse(errors.isRetriable(table) || errors.isDataError(table));
        assertTrue(errors.isUndefinedTable(failure("SELECT * FROM no_such_schema.t")));
    }

    @Test
    void valuesThatDoNotFitAreDataErrors() throws SQLException {
        DB.execute("CREATE TABLE IF NOT EXISTS h2_errors (id BIGINT PRIMARY KEY, s VARCHAR(3) NOT NULL)");
        DB.execute("MERGE INTO h2_errors VALUES (1, 'a')");
        for (String sql : new String[] {"INSERT INTO h2_errors VALUES (2, 'abcd')", "INSERT INTO h2_errors VALUES (3, NULL)",
                "INSERT INTO h2_errors VALUES (1, 'b')", "INSERT INTO h2_errors VALUES ('x', 'c')"}) {
            SQLException failure = failure(sql);
            assertTrue(errors.isDataError(failure), sql + ": " + failure);
            assertFalse(errors.isRetriable(failure) || errors.isUndefinedTable(failure), sql);
        }
    }

    @Test
    void aSyntaxErrorIsNeither() throws SQLException {
        SQLException failure = failure("SELEC 1");
        assertFalse(errors.isRetriable(failure) || errors.isDataError(failure) || errors.isUndefinedTable(failure));
    }

    /** 90067 broken, 90098 closed, 90121 shut down, 90007 aborted session, 90131 concurrent update, 40001 deadlock. */
    @ParameterizedTest
    @ValueSource(ints = {90067, 90098, 90121, 90007, 90131, 40001})
    void brokenSessionsAndLostUpdatesAreRetriable(int code) {
        assertTrue(errors.isRetriable(new SQLException("x", Integer.toString(code), code)));
    }

    @Test
    void aStatementOnAClosedConnectionIsRetriable() throws SQLException {
        Connection connection = DB.connect();
        Statement statement = connection.createStatement();
        connection.close();
        SQLException closed = assertThrows(SQLException.class, () -> statement.executeQuery("SELECT 1"));
        assertTrue(errors.isRetriable(closed), closed.toString());
    }

    private static SQLException failure(String sql) throws SQLException {
        try (Connection connection = DB.connect(); Statement statement = connection.createStatement()) {
            return assertThrows(SQLException.class, () -> statement.execute(sql));
        }
    }
}
