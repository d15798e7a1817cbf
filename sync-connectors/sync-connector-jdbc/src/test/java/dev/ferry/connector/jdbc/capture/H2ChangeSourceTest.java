package dev.ferry.connector.jdbc.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.change.CapturePlan;
import dev.ferry.api.change.ChangeKind;
import dev.ferry.api.change.TableId;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.SyncException;
import dev.ferry.connector.jdbc.capture.CaptureFixture.ReaderRun;
import dev.ferry.connector.jdbc.capture.RecordingChangeSink.Change;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Trigger-based capture on embedded H2: planning, the snapshot a plan starts from, and the changes
 * a reader delivers for every kind of write.
 */
class H2ChangeSourceTest {

    private static final TableId ORDERS = new TableId("PUBLIC", "ORDERS");
    private static final TableId CUSTOMERS = new TableId("PUBLIC", "CUSTOMERS");

    private CaptureFixture fx;

    @BeforeEach
    void setUp() {
        fx = new CaptureFixture();
        fx.execute("CREATE TABLE ORDERS (ID INT PRIMARY KEY, CUSTOMER INT, AMOUNT NUMERIC(10,2), NOTE VARCHAR(50))",
                "CREATE TABLE CUSTOMERS (ID INT PRIMARY KEY, NAME VARCHAR(50))",
                "CREATE TABLE AUDIT (AT TIMESTAMP, WHAT VARCHAR(50))",
                "INSERT INTO ORDERS SELECT X, MOD(X, 2) + 1, X * 1.5, 'order ' || X FROM SYSTEM_RANGE(1, 5)",
                "INSERT INTO CUSTOMERS VALUES (1, 'ann'), (2, 'bob')");
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private H2ChangeSource source() {
        return fx.source(List.of("public.orders", "public.customers"));
    }

    @Test
    void aSnapshotPlanCopiesTheTablesAsOfItsStartAndTheStreamDeliversExactlyWhatCameAfter() throws Exception {
        H2ChangeSource source = source();
        CapturePlan plan = source.plan(fx.context, null);
        assertTrue(plan.snapshot());
        assertEquals(new H2Position(0), plan.start());
        assertEquals(List.of(CUSTOMERS, ORDERS), plan.tables().stream().map(t -> t.id()).toList());
        assertEquals(List.of("ID"), plan.tables().get(1).schema().primaryKey());

        // Written after the start: in the stream, not in the copy.
        fx.execute("INSERT INTO ORDERS VALUES (6, 1, 9.99, 'new')", "UPDATE ORDERS SET NOTE = 'later' WHERE ID = 1",
                "DELETE FROM CUSTOMERS WHERE ID = 2");
        List<Object[]> orders = fx.copy(source.snapshot(plan, ORDERS));
        assertEquals(5, orders.size());
        assertEquals("order 1", orders.get(0)[3]);
        assertEquals(2, fx.copy(source.snapshot(plan, CUSTOMERS)).size());

        ReaderRun run = fx.start(source.attach(plan, plan.start(), fx.context));
        List<Change> changes = run.sink.awaitChanges(3);
        assertEquals(List.of(ChangeKind.INSERT, ChangeKind.UPDATE, ChangeKind.DELETE),
                changes.stream().map(Change::kind).toList());
        assertEquals(6L, changes.get(0).get("ID"));
        assertEquals(new BigDecimal("9.99"), changes.get(0).get("AMOUNT"));
        assertEquals("later", changes.get(1).get("NOTE"));
        assertEquals(1L, changes.get(1).get("ID"));
        assertEquals(CUSTOMERS, changes.get(2).table());
        assertEquals("bob", changes.get(2).get("NAME"), "a delete carries the whole old row");
        assertEquals(List.of(1L, 2L, 3L), run.sink.transactions().stream().map(t -> t.position()).toList());
        run.stop();
        assertEquals(3, run.sink.changes().size());
    }

    @Test
    void aTransactionOverTwoTablesIsOneCommitWithItsChangesInOrder() throws Exception {
        H2ChangeSource source = source();
        CapturePlan plan = source.plan(fx.context, null);
        ReaderRun run = fx.start(source.attach(plan, plan.start(), fx.context));
        fx.execute("BEGIN", "INSERT INTO CUSTOMERS VALUES (3, 'cy')", "INSERT INTO ORDERS VALUES (7, 3, 1.00, 'x')",
                "UPDATE ORDERS SET AMOUNT = 2.00 WHERE ID = 7", "INSERT INTO AUDIT VALUES (NOW(), 'not captured')",
                "DELETE FROM ORDERS WHERE ID = 2", "COMMIT",
                "UPDATE CUSTOMERS SET NAME = 'ann b' WHERE ID = 1");
        run.sink.awaitChanges(5);
        List<RecordingChangeSink.Transaction> transactions = run.sink.transactions();
        assertEquals(2, transactions.size(), transactions.toString());
        List<Change> first = transactions.get(0).changes();
        assertEquals(List.of(CUSTOMERS, ORDERS, ORDERS, ORDERS), first.stream().map(Change::table).toList());
        assertEquals(List.of(ChangeKind.INSERT, ChangeKind.INSERT, ChangeKind.UPDATE, ChangeKind.DELETE),
                first.stream().map(Change::kind).toList());
        assertEquals(List.of(1L, 2L, 3L, 4L), first.stream().map(Change::seq).toList());
        assertEquals(4, transactions.get(0).position(), "a commit's position is its last change");
        assertEquals(new BigDecimal("2.00"), first.get(2).get("AMOUNT"));
        assertEquals("order 2", first.get(3).get("NOTE"));
        assertEquals(5, transactions.get(1).position());
        run.stop();
    }

    @Test
    void anUpdateOfTheKeyIsADeleteOfTheOldKeyAndAnInsertOfTheNewRow() throws Exception {
        H2ChangeSource source = source();
        CapturePlan plan = source.plan(fx.context, null);
        ReaderRun run = fx.start(source.attach(plan, plan.start(), fx.context));
        fx.execute("UPDATE ORDERS SET ID = 100, NOTE = 'moved' WHERE ID = 1");
        List<Change> changes = run.sink.awaitChanges(2);
        assertEquals(List.of(ChangeKind.DELETE, ChangeKind.INSERT), changes.stream().map(Change::kind).toList());
        assertEquals(1L, changes.get(0).get("ID"));
        assertEquals("order 1", changes.get(0).get("NOTE"));
        assertEquals(100L, changes.get(1).get("ID"));
        assertEquals("moved", changes.get(1).get("NOTE"));
        assertEquals(1, run.sink.transactions().size());
        run.stop();
    }

    @Test
    void aLatestPlanStartsAtTheClockAndPatternsFindTablesWhateverTheirCase() {
        fx.execute("CREATE TABLE ORDER_LINES (ID INT PRIMARY KEY)");
        H2ChangeSource source = fx.source(List.of("public.order*"), "capture.startFrom", "latest");
        CapturePlan plan = source.plan(fx.context, null);
        assertFalse(plan.snapshot());
        assertEquals(List.of(new TableId("PUBLIC", "ORDERS"), new TableId("PUBLIC", "ORDER_LINES")),
                plan.tables().stream().map(t -> t.id()).toList());
        assertEquals("0", plan.start().asText());
    }

    @Test
    void tablesWithoutAKeyOrInTheChangeLogSchemaAreRefusedTogether() {
        fx.execute("CREATE SCHEMA FERRY", "CREATE TABLE FERRY.OWN (ID INT PRIMARY KEY)");
        H2ChangeSource source = fx.source(List.of("public.audit", "ferry.own", "public.missing"));
        ConfigException e = assertThrows(ConfigException.class, () -> source.plan(fx.context, null));
        assertEquals(3, e.violations().size(), e.getMessage());
        assertTrue(e.getMessage().contains("PUBLIC.AUDIT has none"), e.getMessage());
        assertTrue(e.getMessage().contains("must not name tables of schema FERRY"), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertEquals(0, fx.queryLong("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TRIGGERS WHERE TRIGGER_NAME LIKE 'FERRY$%'"));
    }

    @Test
    void aNewPlanRefusesAChangeLogItDidNotMakeAndAPositionNeedsOne() {
        source().plan(fx.context, null);
        SyncException exists = assertThrows(SyncException.class, () -> source().plan(fx.context, null));
        assertTrue(exists.getMessage().contains("already exists, but this job has no stored stream plan"),
                exists.getMessage());
        CaptureFixture other = new CaptureFixture();
        try {
            other.execute("CREATE TABLE T (ID INT PRIMARY KEY)");
            H2ChangeSource atPosition = other.source(List.of("PUBLIC.T"), "capture.startFrom", "5");
            ConfigException e = assertThrows(ConfigException.class, () -> atPosition.plan(other.context, null));
            assertTrue(e.getMessage().contains("source.capture.startFrom can be a position only for a stream whose "
                    + "change table"), e.getMessage());
        } finally {
            other.close();
        }
    }

    @Test
    void aDroppedStreamLeavesNothingBehindAndTheTablesStayWritable() {
        H2ChangeSource source = source();
        CapturePlan plan = source.plan(fx.context, null);
        fx.execute("INSERT INTO ORDERS VALUES (8, 1, 1, 'captured')");
        assertEquals(4, fx.queryLong("SELECT COUNT(DISTINCT TRIGGER_NAME) FROM INFORMATION_SCHEMA.TRIGGERS"));
        source.drop(plan);
        assertEquals(0, fx.queryLong("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TRIGGERS"));
        assertEquals(0, fx.queryLong("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'FERRY'"));
        assertEquals(0, fx.queryLong("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SCHEMATA WHERE SCHEMA_NAME = 'FERRY'"));
        fx.execute("INSERT INTO ORDERS VALUES (9, 1, 1, 'not captured')", "DELETE FROM ORDERS WHERE ID = 8");
        CapturePlan again = source().plan(fx.context, null);
        assertEquals(new H2Position(0), again.start(), "a new stream starts a new change log");
    }

    @Test
    void positionsParseBackAndOrderByNumber() {
        assertEquals(new H2Position(1042), H2Position.parse("1042"));
        assertEquals("1042", new H2Position(1042).asText());
        assertTrue(new H2Position(9).compareTo(new H2Position(10)) < 0);
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> H2Position.parse("-1"));
        assertEquals("an H2 change-log position must be a change number such as 1042, got '-1'", bad.getMessage());
    }
}
