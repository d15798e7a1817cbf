package dev.ferry.connector.mariadb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.connector.jdbc.TableName;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MariaDB and MySQL SQL and URL handling, without a server. */
class MariaDbDialectTest {

    private final MariaDbDialect mariadb = MariaDbDialect.mariadb();

    @Test
    void quotesWithBackticksAndQualifiesByDatabase() {
        assertEquals("`a``b`", mariadb.sql().quoteIdentifier("a`b"));
        assertEquals("`test`.`Ord\"ers; DROP TABLE x --`", mariadb.sql().quoteTable(new TableName("test", "Ord\"ers; DROP TABLE x --")));
    }

    @Test
    void upsertUsesOnDuplicateKeyUpdate() {
        assertEquals("INSERT INTO `t` (`k`, `v`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `v` = VALUES(`v`)",
                mariadb.sql().upsertSql("`t`", List.of("k", "v"), List.of("k")));
        assertEquals("INSERT INTO `t` (`k`) VALUES (?) ON DUPLICATE KEY UPDATE `k` = `k`",
                mariadb.sql().upsertSql("`t`", List.of("k"), List.of("k")));
    }

    @Test
    void mysqlUrlsGetTheDriversPermission() {
        MariaDbDialect mysql = MariaDbDialect.mysql();
        assertEquals("jdbc:mysql://h/db?permitMysqlScheme", mysql.driverUrl("jdbc:mysql://h/db"));
        assertEquals("jdbc:mysql://h/db?a=1&permitMysqlScheme", mysql.driverUrl("jdbc:mysql://h/db?a=1"));
        assertEquals("jdbc:mariadb://h/db", mysql.driverUrl("jdbc:mariadb://h/db"));
        assertTrue(mysql.acceptsUrl("jdbc:mariadb://h/db") && mariadb.acceptsUrl("jdbc:mysql://h/db"));
        assertFalse(mariadb.acceptsUrl("jdbc:postgresql://h/db"));
    }

    @Test
    void classifiesDriverErrors() {
        assertTrue(mariadb.errors().isRetriable(new SQLException("Connection was killed", "70100", 1927)));
        assertTrue(mariadb.errors().isRetriable(new SQLException("socket closed", "08000", 0)));
        assertTrue(mariadb.errors().isRetriable(new SQLException("Deadlock found", "40001", 1213)));
        assertFalse(mariadb.errors().isRetriable(new SQLException("Data too long", "22001", 1406)));
        assertTrue(mariadb.errors().isDataError(new SQLException("Data truncated for column 'a'", "01000", 1265)));
        assertTrue(mariadb.errors().isDataError(new SQLException("Column 'a' cannot be null", "23000", 1048)));
        assertFalse(mariadb.errors().isDataError(new SQLException("Table 't' doesn't exist", "42S02", 1146)));
        assertTrue(mariadb.errors().isUndefinedTable(new SQLException("Table 't' doesn't exist", "42S02", 1146)));
    }
}
