package dev.ferry.connector.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.api.change.TableId;
import dev.ferry.api.config.ConnectorConfig;
import dev.ferry.api.error.Violation;
import dev.ferry.connector.jdbc.testing.TestDatabase;
import dev.ferry.engine.config.ConnectorConfigs;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A capture source's {@code tables}: reading the entries, and expanding them against a database (H2). */
class CaptureTablesTest {

    private static final TestDatabase H2 = TestDatabase.h2("capture_tables_test");

    @BeforeAll
    static void tables() {
        H2.execute("CREATE SCHEMA shop",
                "CREATE TABLE shop.\"orders_2\" (id INT PRIMARY KEY)", "CREATE TABLE shop.\"orders_0\" (id INT PRIMARY KEY)",
                "CREATE TABLE shop.\"orders_1\" (id INT PRIMARY KEY)", "CREATE TABLE shop.\"orders_x\" (id INT PRIMARY KEY)",
                "CREATE TABLE shop.\"orders_1_old\" (id INT PRIMARY KEY)", "CREATE VIEW shop.\"orders_9\" AS SELECT 1 AS id",
                "CREATE TABLE public.\"orders_5\" (id INT PRIMARY KEY)");
    }

    @AfterAll
    static void dropTables() {
        H2.execute("DROP SCHEMA shop CASCADE", "DROP TABLE public.\"orders_5\"");
    }

    private static ConnectorConfig config(List<String> tables) {
        return ConnectorConfigs.validate("postgresql", "source", List.of(CaptureTables.tablesKey("schema", "public.orders")),
                Map.of("tables", tables));
    }

    private static List<TablePattern> read(List<String> tables, List<Violation> violations) {
        return CaptureTables.tables(config(tables), "schema", violations);
    }

    private static List<TableId> expand(String... tables) throws SQLException {
        List<Violation> violations = new ArrayList<>();
        List<TableId> expanded;
        try (Connection c = H2.connect()) {
            expanded = CaptureTables.expand(c, new H2Dialect(), read(List.of(tables), violations), "source.tables",
                    violations);
        }
        assertEquals(List.of(), violations);
        return expanded;
    }

    @Test
    void readsTablesPatternsAndRegularExpressions() {
        List<Violation> violations = new ArrayList<>();
        List<TablePattern> rules = read(List.of("shop.orders", "shop.order_*", "shop./orders_[0-9]+/", "~.orders",
                "~./o.*/"), violations);
        assertEquals(List.of(), violations);
        assertEquals("[shop.orders, shop.order_*, shop./orders_[0-9]+/, ~.orders, ~./o.*/]", rules.toString());
    }

    @Test
    void everyBadEntryIsAViolationNamingTheKeyAndTheValue() {
        List<Violation> violations = new ArrayList<>();
        read(List.of("orders", "shop./orders_[/", "shop./a/", "shop./a/", "~./(/"), violations);
        assertEquals(List.of(
                "source.tables must name each table as schema.table, got 'orders'",
                "source.tables must hold a valid regular expression between the slashes (Unclosed character class near "
                        + "index 7), got 'shop./orders_[/'",
                "source.tables must name each table once, got 'shop./a/'",
                "source.tables must hold a valid regular expression between the slashes (Unclosed group near index 1), "
                        + "got '~./(/'"), violations.stream().map(Violation::toString).toList());
    }

    @Test
    void theKeyDescribesEveryForm() {
        String description = CaptureTables.tablesKey("database", "shop.orders").description();
        assertEquals("Tables to capture, each database-qualified (\"shop.orders\"), or patterns with * in the table part "
                + "(\"shop.*\"), or a regular expression between slashes that matches whole table names "
                + "(\"shop./orders_[0-9]+/\"); ~ as the database is the connection's own (\"~.orders\"); each table needs a "
                + "primary key.", description);
    }

    @Test
    void aRegularExpressionSelectsTheBaseTablesWhoseWholeNameMatchesInNameOrder() throws SQLException {
        assertEquals(List.of(new TableId("SHOP", "orders_0"), new TableId("SHOP", "orders_1"), new TableId("SHOP", "orders_2")),
                expand("SHOP./orders_[0-9]+/"));
    }

    @Test
    void theSchemaTildeIsTheConnectionsOwn() throws SQLException {
        assertEquals(List.of(new TableId("PUBLIC", "orders_5"), new TableId("PUBLIC", "mine")),
                expand("~./orders_[0-9]+/", "~.mine"));
    }

    @Test
    void aTableSelectedTwiceIsKeptOnceWhereItCameFirst() throws SQLException {
        assertEquals(List.of(new TableId("SHOP", "orders_1"), new TableId("SHOP", "orders_0"), new TableId("SHOP", "orders_2")),
                expand("SHOP.orders_1", "SHOP./orders_[0-9]/", "SHOP./orders_[12]/"));
    }

    @Test
    void anEntryMatchingNothingIsAViolationEvenWhenOthersMatched() throws SQLException {
        List<Violation> violations = new ArrayList<>();
        try (Connection c = H2.connect()) {
            CaptureTables.expand(c, new H2Dialect(), read(List.of("SHOP./orders_[0-9]/", "SHOP./orders_[12]/",
                    "SHOP./nothing_.*/", "~./orders_[0-4]/"), violations), "source.tables", violations);
        }
        assertEquals(List.of(
                "source.tables must match at least one table; pattern SHOP./nothing_.*/ matches none, got 'SHOP./nothing_.*/'",
                "source.tables must match at least one table; pattern ~./orders_[0-4]/ matches none in PUBLIC, "
                        + "got '~./orders_[0-4]/'"), violations.stream().map(Violation::toString).toList());
    }
}
