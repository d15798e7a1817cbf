package dev.ferry.connector.jdbc.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ferry.api.change.CapturePlan;
import dev.ferry.api.change.ChangeKind;
import dev.ferry.api.change.ChangeReader;
import dev.ferry.api.change.TableId;
import dev.ferry.api.change.TableSnapshot;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.SyncException;
import dev.ferry.connector.jdbc.capture.CaptureFixture.ReaderRun;
import dev.ferry.connector.jdbc.capture.RecordingChangeSink.Change;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A stream over time: stopping and resuming from a checkpoint, acknowledging, tables joining and
 * leaving, a table joining through a snapshot of its own, a column added mid-stream.
 */
class H2CaptureLifecycleTest {

    private static final TableId ORDERS = new TableId("PUBLIC", "ORDERS");
    private static final TableId ITEMS = new TableId("PUBLIC", "ITEMS");
    private static final TableId NOTES = new TableId("PUBLIC", "NOTES");

    private CaptureFixture fx;

    @BeforeEach
    void setUp() {
        fx = new CaptureFixture();
        fx.execute("CREATE TABLE ORDERS (ID INT PRIMARY KEY, NOTE VARCHAR(50))",
                "CREATE TABLE ITEMS (ID INT PRIMARY KEY, NAME VARCHAR(50))",
                "CREATE TABLE NOTES (ID INT PRIMARY KEY, TEXT VARCHAR(50))",
                "INSERT INTO ITEMS VALUES (1, 'before capture')");
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private static List<Long> seqs(List<Change> changes) {
        return changes.stream().map(Change::seq).toList();
    }

    private static void awaitTrue(String what, LongSupplier actual, long expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (actual.getAsLong() != expected) {
            if (System.nanoTime() > deadline) {
                fail(what + ": expected " + expected + ", got " + actual.getAsLong());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    @Test
    void resumingFromACommitDeliversEveryLaterChangeOnceAndNothingBefore() throws Exception {
        H2ChangeSource source = fx.source(List.of("PUBLIC.ORDERS"));
        CapturePlan plan = source.plan(fx.context, null);
        ReaderRun first = fx.start(source.attach(plan, plan.start(), fx.context));
        fx.execute("INSERT INTO ORDERS VALUES (1, 'a')", "INSERT INTO ORDERS VALUES (2, 'b')",
                "BEGIN", "UPDATE ORDERS SET NOTE = 'c' WHERE ID = 1", "DELETE FROM ORDERS WHERE ID = 2", "COMMIT");
        first.sink.awaitChanges(4);
        long checkpoint = first.stop().lastPosition();
        assertEquals(4, checkpoint);

        fx.execute("INSERT INTO ORDERS VALUES (3, 'd')", "BEGIN", "INSERT INTO ORDERS VALUES (4, 'e')",
                "UPDATE ORDERS SET NOTE = 'f' WHERE ID = 3", "COMMIT");
        ReaderRun second = fx.start(source.attach(plan, new H2Position(checkpoint), fx.context));
        List<Change> resumed = second.sink.awaitChanges(3);
        second.stop();
        List<Long> all = new ArrayList<>(seqs(first.sink.changes()));
        all.addAll(seqs(resumed));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), all, "every change once, in order");
        assertEquals("f", resumed.get(2).get("NOTE"));
    }

    @Test
    void stopWaitsForTheEndOfATransactionLongerThanOnePoll() throws Exception {
        H2ChangeSource source = fx.source(List.of("PUBLIC.ORDERS"));
        CapturePlan plan = source.plan(fx.context, null);
        int rows = H2ChangeReader.POLL_ROWS * 2 + 500;
        fx.execute("INSERT INTO ORDERS SELECT X, 'bulk' FROM SYSTEM_RANGE(1, " + rows + ")",
                "INSERT INTO ORDERS VALUES (-1, 'next transaction')");
        ChangeReader reader = source.attach(plan, plan.start(), fx.context);
        ReaderRun run = fx.start(reader);
        run.sink.afterEmit(reader::stop);
        run.sink.awaitPosition(rows);
        RecordingChangeSink sink = run.stop();
        assertEquals(1, sink.transactions().size(), "stop() ends the read after the transaction it is in");
        assertEquals(rows, sink.transactions().get(0).changes().size());
        assertEquals(List.of(), sink.uncommitted());
    }

    @Test
    void acknowledgedChangesAreRemovedFromTheChangeTable() throws Exception {
        H2ChangeSource source = fx.source(List.of("PUBLIC.ORDERS"));
        CapturePlan plan = source.plan(fx.context, null);
        ChangeReader reader = source.attach(plan, plan.start(), fx.context);
        ReaderRun run = fx.start(reader);
        fx.execute("INSERT INTO ORDERS VALUES (1, 'a')", "INSERT INTO ORDERS VALUES (2, 'b')",
                "INSERT INTO ORDERS VALUES (3, 'c')");
        run.sink.awaitChanges(3);
        String changes = "SELECT COUNT(*) FROM FERRY.\"" + ChangeLog.forJob(fx.context.jobName()).changesTable() + "\"";
        assertEquals(3, fx.queryLong(changes));
        reader.acknowledge(new H2Position(2));
        awaitTrue("changes left after acknowledging 2", () -> fx.queryLong(changes), 1);
        reader.acknowledge(new H2Position(1));
        fx.execute("INSERT INTO ORDERS VALUES (4, 'd')");
        run.sink.awaitChanges(4);
        assertEquals(2, fx.queryLong(changes), "an older acknowledgement removes nothing");
        run.stop();
        SyncException lost = assertThrows(SyncException.class,
                () -> source.attach(plan, new H2Position(0), fx.context));
        assertTrue(lost.getMessage().contains("no longer holds the changes after position 0"), lost.getMessage());
    }

    @Test
    void aNewPlanMovesTheTriggersToTheNewTablesAndKeepsWhatWasCaptured() throws Exception {
        H2ChangeSource first = fx.source(List.of("PUBLIC.ORDERS", "PUBLIC.ITEMS"));
        CapturePlan before = first.plan(fx.context, null);
        fx.execute("INSERT INTO ORDERS VALUES (1, 'captured while orders was in the stream')");
        H2ChangeSource second = fx.source(List.of("PUBLIC.ITEMS", "PUBLIC.NOTES"));
        CapturePlan after = second.plan(fx.context, before);
        assertEquals(before.start(), after.start());
        assertEquals(before.properties(), after.properties());
        assertEquals(List.of(ITEMS, NOTES), after.tables().stream().map(t -> t.id()).toList());
        ChangeLog log = ChangeLog.forJob(fx.context.jobName());
        assertEquals(List.of(log.lockTriggerName("ITEMS"), log.lockTriggerName("NOTES"), log.rowTriggerName("ITEMS"),
                log.rowTriggerName("NOTES")), triggers());
        assertEquals(List.of(), fx.context.warnings(), "the engine copies a joining table; nothing to warn about");
        second.plan(fx.context, after);
        assertEquals(4, triggers().size(), "planning again changes nothing");

        fx.execute("INSERT INTO ORDERS VALUES (2, 'not captured')", "INSERT INTO NOTES VALUES (1, 'n')",
                "UPDATE ITEMS SET NAME = 'i' WHERE ID = 1");
        ReaderRun run = fx.start(second.attach(after, after.start(), fx.context));
        List<Change> changes = run.sink.awaitChanges(2);
        run.sink.awaitPosition(3);
        run.stop();
        assertEquals(List.of(NOTES, ITEMS), changes.stream().map(Change::table).toList());
        assertEquals(List.of(2L, 3L), seqs(changes));
        assertEquals(List.of(1L), run.sink.advances(), "the change of a table that left is passed as an advance");
    }

    private List<String> triggers() {
        List<String> names = new ArrayList<>();
        try (var c = fx.db.connect(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT DISTINCT TRIGGER_NAME FROM INFORMATION_SCHEMA.TRIGGERS ORDER BY 1")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return names;
    }

    @Test
    void aJoiningTableIsCopiedFromItsOwnSnapshotAndStreamedFromItsPosition() throws Exception {
        H2ChangeSource source = fx.source(List.of("PUBLIC.ORDERS"));
        CapturePlan plan = source.plan(fx.context, null);
        ReaderRun running = fx.start(source.attach(plan, plan.start(), fx.context));
        fx.execute("INSERT INTO ORDERS VALUES (1, 'a')");
        running.sink.awaitChanges(1);

        // ITEMS joins: its trigger first, then a snapshot of it, while ORDERS keeps changing.
        H2ChangeSource joined = fx.source(List.of("PUBLIC.ORDERS", "PUBLIC.ITEMS"));
        CapturePlan withItems = joined.plan(fx.context, plan);
        fx.execute("INSERT INTO ITEMS VALUES (2, 'in the copy')", "INSERT INTO ORDERS VALUES (2, 'b')");
        TableSnapshot snapshot = joined.openSnapshot(withItems, List.of(ITEMS), fx.context);
        long joinedAt = ((H2Position) snapshot.position()).seq();
        assertEquals(3, joinedAt);
        fx.execute("INSERT INTO ITEMS VALUES (3, 'streamed')", "UPDATE ITEMS SET NAME = 'changed after' WHERE ID = 1",
                "INSERT INTO ORDERS VALUES (3, 'c')");
        List<Object[]> copied = fx.copy(snapshot.source(ITEMS));
        assertThrows(IllegalArgumentException.class, () -> snapshot.source(ORDERS));
        snapshot.close();
        assertEquals(List.of("before capture", "in the copy"), copied.stream().map(r -> (String) r[1]).toList());
        assertThrows(IllegalStateException.class, () -> snapshot.source(ITEMS), "closed");

        // The running reader passes the joining table's changes over (as advances): it is not in its plan.
        running.sink.awaitPosition(6);
        long checkpoint = running.stop().lastPosition();
        assertEquals(6, checkpoint);
        ReaderRun resumed = fx.start(joined.attach(withItems, new H2Position(Math.min(checkpoint, joinedAt)),
                Map.of(ITEMS, new H2Position(joinedAt), ORDERS, new H2Position(checkpoint)), fx.context));
        resumed.sink.awaitPosition(6);
        resumed.stop();
        List<Change> changes = resumed.sink.changes();
        assertEquals(List.of(ITEMS, ITEMS), changes.stream().map(Change::table).toList(), changes.toString());
        assertEquals(List.of(4L, 5L), seqs(changes), "only what the copy did not see");
        assertEquals("streamed", changes.get(0).get("NAME"));
        assertEquals(List.of(1L, 3L, 6L), seqs(running.sink.changes()), "the other table's changes, each once");
    }

    @Test
    void aColumnAddedMidStreamIsDeclaredFromTheFirstChangeThatHasIt() throws Exception {
        H2ChangeSource source = fx.source(List.of("PUBLIC.ORDERS"));
        CapturePlan plan = source.plan(fx.context, null);
        fx.execute("INSERT INTO ORDERS VALUES (1, 'before')",
                "ALTER TABLE ORDERS ADD COLUMN CHANNEL VARCHAR(10)",
                "INSERT INTO ORDERS VALUES (2, 'after', 'web')",
                "UPDATE ORDERS SET CHANNEL = 'shop' WHERE ID = 1");
        ReaderRun run = fx.start(source.attach(plan, plan.start(), fx.context));
        List<Change> changes = run.sink.awaitChanges(3);
        run.stop();
        List<TableSchema> schemas = run.sink.schemas(ORDERS);
        assertEquals(2, schemas.size(), schemas.toString());
        assertEquals(List.of("ID", "NOTE"), schemas.get(0).columns().stream().map(c -> c.name()).toList());
        assertEquals(List.of("ID", "NOTE", "CHANNEL"), schemas.get(1).columns().stream().map(c -> c.name()).toList());
        assertEquals(2, changes.get(0).values().size());
        assertEquals("web", changes.get(1).get("CHANNEL"));
        assertEquals(ChangeKind.UPDATE, changes.get(2).kind());
        assertEquals("shop", changes.get(2).get("CHANNEL"));
        assertEquals("before", changes.get(2).get("NOTE"));
    }
}
