package dev.ferry.connector.jdbc.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ferry.api.change.CapturePlan;
import dev.ferry.api.change.ChangeKind;
import dev.ferry.connector.jdbc.capture.CaptureFixture.ReaderRun;
import dev.ferry.connector.jdbc.capture.RecordingChangeSink.Change;
import dev.ferry.connector.jdbc.capture.RecordingChangeSink.Transaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Writers at the same time: the stream must deliver each transaction whole, in commit order (not
 * the order transactions began or numbered rows in), miss none, and the capture must not make
 * transactions that write several captured rows deadlock.
 */
class H2CaptureConcurrencyTest {

    private CaptureFixture fx;
    private final ExecutorService writers = Executors.newFixedThreadPool(4);

    @BeforeEach
    void setUp() {
        fx = new CaptureFixture();
        fx.execute("CREATE TABLE ORDERS (ID INT PRIMARY KEY, NOTE VARCHAR(50), TX INT)",
                "CREATE TABLE AUDIT (WHAT VARCHAR(50))",
                "INSERT INTO ORDERS SELECT X, 'initial', 0 FROM SYSTEM_RANGE(1, 10)");
    }

    @AfterEach
    void tearDown() {
        writers.shutdownNow();
        fx.close();
    }

    private ReaderRun streaming() {
        H2ChangeSource source = fx.source(List.of("PUBLIC.ORDERS"), "capture.pollMillis", 5L);
        CapturePlan plan = source.plan(fx.context, null);
        return fx.start(source.attach(plan, plan.start(), fx.context));
    }

    private Connection transaction() throws SQLException {
        Connection c = fx.db.connect();
        c.setAutoCommit(false);
        return c;
    }

    private static void run(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static int sessionId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT SESSION_ID()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Waits until the session waits for a lock; fails after ten seconds. */
    private void awaitBlocked(int session) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (fx.queryLong("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID = " + session
                + " AND BLOCKER_ID IS NOT NULL") == 0) {
            if (System.nanoTime() > deadline) {
                fail("session " + session + " never waited for a lock");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    private static List<String> notes(List<Change> changes) {
        return changes.stream().map(c -> c.get("ID") + "=" + c.get("NOTE")).toList();
    }

    @Test
    void aTransactionThatBeganFirstButCommitsLastIsDeliveredLast() throws Exception {
        ReaderRun run = streaming();
        try (Connection early = transaction(); Connection late = transaction()) {
            run(early, "INSERT INTO AUDIT VALUES ('the early transaction begins')");
            CountDownLatch lateCommitted = new CountDownLatch(1);
            Future<?> lateWriter = writers.submit(() -> {
                run(late, "UPDATE ORDERS SET NOTE = 'late 1' WHERE ID = 1");
                run(late, "INSERT INTO ORDERS VALUES (11, 'late 11', 0)");
                late.commit();
                lateCommitted.countDown();
                return null;
            });
            assertTrue(lateCommitted.await(10, TimeUnit.SECONDS));
            lateWriter.get();
            run.sink.awaitChanges(2);
            run(early, "UPDATE ORDERS SET NOTE = 'early 1' WHERE ID = 1");
            run(early, "DELETE FROM ORDERS WHERE ID = 11");
            early.commit();
        }
        List<Change> changes = run.sink.awaitChanges(4);
        run.stop();
        assertEquals(List.of("1=late 1", "11=late 11", "1=early 1", "11=late 11"), notes(changes));
        assertEquals(ChangeKind.DELETE, changes.get(3).kind());
        assertEquals(List.of(2L, 4L), run.sink.transactions().stream().map(Transaction::position).toList());
    }

    @Test
    void aTransactionWaitingForTheClockHoldsNoRowSoTwoMultiRowTransactionsDoNotDeadlock() throws Exception {
        ReaderRun run = streaming();
        try (Connection first = transaction(); Connection second = transaction()) {
            run(first, "UPDATE ORDERS SET NOTE = 'first' WHERE ID = 1");
            AtomicInteger secondSession = new AtomicInteger();
            CountDownLatch secondStarts = new CountDownLatch(1);
            Future<?> secondWriter = writers.submit(() -> {
                secondSession.set(sessionId(second));
                secondStarts.countDown();
                // Waits for the clock the first transaction holds, before it locks row 2.
                run(second, "UPDATE ORDERS SET NOTE = 'second' WHERE ID = 2");
                run(second, "UPDATE ORDERS SET NOTE = 'second' WHERE ID = 1");
                second.commit();
                return null;
            });
            assertTrue(secondStarts.await(10, TimeUnit.SECONDS));
            awaitBlocked(secondSession.get());
            run(first, "UPDATE ORDERS SET NOTE = 'first' WHERE ID = 2");
            first.commit();
            secondWriter.get(10, TimeUnit.SECONDS);
        }
        List<Change> changes = run.sink.awaitChanges(4);
        run.stop();
        assertEquals(List.of("1=first", "2=first"), notes(changes.subList(0, 2)));
        assertEquals(List.of("2=second", "1=second"), notes(changes.subList(2, 4)));
        assertEquals(2, run.sink.transactions().size());
    }

    @Test
    void manyWritersAtOnceAreDeliveredWholeInCommitOrderWithNothingMissed() throws Exception {
        ReaderRun run = streaming();
        int threads = 4;
        int perThread = 40;
        List<Future<?>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            results.add(writers.submit(() -> {
                Random random = new Random(thread);
                try (Connection c = transaction();
                     PreparedStatement update = c.prepareStatement("UPDATE ORDERS SET NOTE = ?, TX = ? WHERE ID = ?")) {
                    for (int i = 0; i < perThread; i++) {
                        int tx = thread * 1000 + i + 1;
                        for (int k = 0; k < 3; k++) {
                            update.setString(1, "t" + thread + " i" + i + " k" + k);
                            update.setInt(2, tx);
                            update.setInt(3, random.nextInt(10) + 1);
                            update.executeUpdate();
                        }
                        c.commit();
                    }
                }
                return null;
            }));
        }
        for (Future<?> result : results) {
            result.get(60, TimeUnit.SECONDS);
        }
        List<Change> changes = run.sink.awaitChanges(threads * perThread * 3);
        run.stop();

        List<Transaction> transactions = run.sink.transactions();
        assertEquals(threads * perThread, transactions.size());
        for (Transaction transaction : transactions) {
            assertEquals(1, transaction.changes().stream().map(c -> c.get("TX")).distinct().count(),
                    "one source transaction per commit: " + transaction);
            assertEquals(3, transaction.changes().size());
        }
        List<Long> seqs = changes.stream().map(Change::seq).toList();
        for (int i = 0; i < seqs.size(); i++) {
            assertEquals(i + 1, seqs.get(i), "changes are numbered in delivery order without gaps");
        }
        Map<Long, String> replayed = new HashMap<>();
        for (Change change : changes) {
            replayed.put((Long) change.get("ID"), (String) change.get("NOTE"));
        }
        try (Connection c = fx.db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT ID, NOTE FROM ORDERS WHERE TX > 0")) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                assertEquals(rs.getString(2), replayed.get(rs.getLong(1)), "row " + rs.getLong(1));
            }
            assertEquals(replayed.size(), rows);
        }
    }

    /**
     * Regression: H2 adds and removes a table's triggers without locking the table, so a statement
     * firing the table's triggers at that moment failed with a ConcurrentModificationException.
     */
    @Test
    void writersKeepWritingWhileTriggersAreCreatedAndDropped() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger writes = new AtomicInteger();
        // The writer keeps one connection, as a pooled application does: opening one is refused for the
        // moment the triggers change in exclusive mode, so it connects before the first round.
        java.util.concurrent.CountDownLatch connected = new java.util.concurrent.CountDownLatch(1);
        Future<?> writer = writers.submit(() -> {
            try (Connection c = fx.db.connect();
                 PreparedStatement update = c.prepareStatement("UPDATE ORDERS SET TX = TX + 1 WHERE ID = ?")) {
                connected.countDown();
                while (writing.get()) {
                    update.setInt(1, writes.incrementAndGet() % 10 + 1);
                    update.executeUpdate();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
            return null;
        });
        try {
            assertTrue(connected.await(10, TimeUnit.SECONDS), "the writer connects: " + failure.get());
            for (int round = 0; round < 40 && failure.get() == null; round++) {
                H2ChangeSource source = fx.source(List.of("PUBLIC.ORDERS"), "capture.startFrom", "latest");
                int before = writes.get();
                source.drop(source.plan(fx.context, null));
                // Let the writer run between the rounds, so every round meets it mid-statement.
                while (writes.get() < before + 5 && failure.get() == null) {
                    Thread.onSpinWait();
                }
            }
        } finally {
            writing.set(false);
            writer.get(10, TimeUnit.SECONDS);
        }
        assertEquals(null, failure.get(), "a writer's statement failed while triggers changed");
    }
}
