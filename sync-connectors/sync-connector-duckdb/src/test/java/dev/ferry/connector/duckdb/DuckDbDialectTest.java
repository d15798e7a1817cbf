package dev.ferry.connector.duckdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** URLs, error classification and SQL of the DuckDB dialect, without a database. */
class DuckDbDialectTest {

    private final DuckDbDialect dialect = new DuckDbDialect();

    @Test
    void unnamedInMemoryUrlsBecomeADatabasePrivateToThePoolAndOthersStay() {
        String first = dialect.driverUrl("jdbc:duckdb:");
        assertTrue(first.matches("jdbc:duckdb:memory:ferry_[0-9a-f]{32}"), first);
        assertNotEquals(first, dialect.driverUrl("jdbc:duckdb:"));
        assertTrue(dialect.driverUrl("jdbc:duckdb::memory:;threads=2").matches("jdbc:duckdb:memory:ferry_[0-9a-f]{32};threads=2"));
        for (String kept : List.of("jdbc:duckdb:memory:orders", "jdbc:duckdb::memory:orders", "jdbc:duckdb:/data/w.duckdb",
                "jdbc:duckdb:/data/w.duckdb;access_mode=READ_ONLY")) {
            assertEquals(kept, dialect.driverUrl(kept));
        }
        assertTrue(dialect.acceptsUrl("jdbc:duckdb:/data/w.duckdb"));
        assertFalse(dialect.acceptsUrl("jdbc:h2:mem:x"));
    }

    @Test
    void errorsAreToldApartByDuckDbsErrorType() {
        DuckDbErrors errors = new DuckDbErrors();
        assertTrue(errors.isDataError(new SQLException("Constraint Error: Duplicate key \"id: 7\" violates primary key constraint.")));
        assertTrue(errors.isDataError(new SQLException("Conversion Error: date field value out of range: \"2023-02-30\"")));
        assertFalse(errors.isDataError(new SQLException("Catalog Error: Table with name t does not exist!")));
        assertTrue(errors.isUndefinedTable(new SQLException("Catalog Error: Table with name t does not exist!\nDid you mean \"u\"?")));
        assertTrue(errors.isUndefinedTable(new SQLException(
                "Catalog Error: Table with name \"s.x\" does not exist because schema \"s\" does not exist.")));
        assertFalse(errors.isUndefinedTable(new SQLException("Catalog Error: Scalar Function with name f does not exist!")));
        assertTrue(errors.isRetriable(new SQLException("TransactionContext Error: Catalog write-write conflict on alter")));
        assertFalse(errors.isRetriable(new SQLException("TransactionContext Error: Current transaction is aborted (please ROLLBACK)")));
    }

    @Test
    void upsertsWithOnConflictAndWalksKeysWithLimitOffset() {
        assertEquals("INSERT INTO \"t\" (\"id\", \"v\") VALUES (?, ?) ON CONFLICT (\"id\") DO UPDATE SET \"v\" = EXCLUDED.\"v\"",
                dialect.sql().upsertSql("\"t\"", List.of("id", "v"), List.of("id")));
        assertEquals("INSERT INTO \"t\" (\"id\") VALUES (?) ON CONFLICT (\"id\") DO NOTHING",
                dialect.sql().upsertSql("\"t\"", List.of("id"), List.of("id")));
        assertEquals("LIMIT 1 OFFSET 10", dialect.sql().skipAndTakeOne(10));
        assertEquals("DELETE FROM \"t\"", dialect.sql().truncateSql("\"t\""));
        assertFalse(dialect.savepoints());
    }
}
