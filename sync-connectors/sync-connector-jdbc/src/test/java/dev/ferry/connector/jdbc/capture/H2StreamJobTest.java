package dev.ferry.connector.jdbc.capture;

import static dev.ferry.connector.jdbc.testing.RowValues.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ferry.api.job.ConnectorSpec;
import dev.ferry.api.job.JobMode;
import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.JobSettings;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.job.JobStatus;
import dev.ferry.api.job.StreamSettings;
import dev.ferry.connector.jdbc.testing.RowValues;
import dev.ferry.connector.jdbc.testing.RowValues.Col;
import dev.ferry.connector.jdbc.testing.RowValues.Kind;
import dev.ferry.connector.jdbc.testing.TestDatabase;
import dev.ferry.engine.JobHandle;
import dev.ferry.engine.SyncEngine;
import dev.ferry.engine.state.InMemoryStateStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A whole embedded H2 database streamed into another through {@link SyncEngine}, the way the demo
 * runs it: a snapshot while the application writes, a few hundred changes of every kind (key
 * changes and transactions over both tables among them, some surely after the snapshot), then a stop; the target must equal the
 * source value by value, and the checkpoints must have emptied the change table.
 */
class H2StreamJobTest {

    private static final List<Col> ORDER_COLUMNS = List.of(col("ID", Kind.INT), col("CUSTOMER", Kind.INT),
            col("AMOUNT", Kind.DECIMAL), col("NOTE", Kind.TEXT), col("PLACED", Kind.TIMESTAMP));
    private static final List<Col> CUSTOMER_COLUMNS = List.of(col("ID", Kind.INT), col("NAME", Kind.TEXT),
            col("VIP", Kind.BOOL));

    private final TestDatabase source = TestDatabase.h2(TestDatabase.uniqueName("app"));
    private final TestDatabase target = TestDatabase.h2(TestDatabase.uniqueName("replica"));
    private final String job = TestDatabase.uniqueName("demo");

    @BeforeEach
    void setUp() {
        source.execute("CREATE TABLE ORDERS (ID INT PRIMARY KEY, CUSTOMER INT, AMOUNT NUMERIC(10,2), NOTE VARCHAR(60), "
                        + "PLACED TIMESTAMP(6))",
                "CREATE TABLE CUSTOMERS (ID INT PRIMARY KEY, NAME VARCHAR(40), VIP BOOLEAN)",
                "INSERT INTO ORDERS SELECT X, MOD(X, 20) + 1, X * 1.25, 'order ' || X, "
                        + "TIMESTAMP '2024-01-01 00:00:00' + X * INTERVAL '1' MINUTE FROM SYSTEM_RANGE(1, 200)",
                "INSERT INTO CUSTOMERS SELECT X, 'customer ' || X, MOD(X, 3) = 0 FROM SYSTEM_RANGE(1, 20)");
    }

    @AfterEach
    void tearDown() {
        source.execute("SHUTDOWN");
        target.execute("SHUTDOWN");
    }

    private JobSpec spec() {
        JobSettings settings = JobSettings.DEFAULT.withConcurrency(2).withStream(new StreamSettings(5, 100));
        return new JobSpec(job, JobMode.STREAM,
                new ConnectorSpec("h2", source.options("tables", List.of("public.*"), "capture.pollMillis", 10L)),
                new ConnectorSpec("h2", target.options()), settings);
    }

    /** One round of the application's writes on its connection: every kind of change, some in one transaction. */
    private static void write(Statement app, int round) throws SQLException {
        int id = 1000 + round;
        app.execute("INSERT INTO ORDERS VALUES (" + id + ", " + (round % 20 + 1) + ", " + round + ".5, 'new " + round
                + "', TIMESTAMP '2024-06-01 12:00:00.123456' + " + round + " * INTERVAL '1' SECOND)");
        app.execute("UPDATE ORDERS SET AMOUNT = AMOUNT + 1, NOTE = 'updated " + round + "' WHERE ID = " + (round % 200 + 1));
        app.execute("DELETE FROM ORDERS WHERE ID = " + (id - 3));
        if (round % 10 == 0) {
            app.execute("UPDATE ORDERS SET ID = " + (5000 + round) + " WHERE ID = " + (id - 1));
        }
        if (round % 5 == 0) {
            Connection c = app.getConnection();
            c.setAutoCommit(false);
            app.execute("UPDATE CUSTOMERS SET VIP = NOT VIP WHERE ID = " + (round % 20 + 1));
            app.execute("INSERT INTO ORDERS VALUES (" + (9000 + round) + ", 1, 1, 'in a transaction', NULL)");
            app.execute("UPDATE ORDERS SET NOTE = NULL WHERE ID = " + (9000 + round));
            c.commit();
            c.setAutoCommit(true);
        }
    }

    private boolean converged() {
        return read(source, "ORDERS", ORDER_COLUMNS).equals(read(target, "ORDERS", ORDER_COLUMNS))
                && read(source, "CUSTOMERS", CUSTOMER_COLUMNS).equals(read(target, "CUSTOMERS", CUSTOMER_COLUMNS));
    }

    private static List<List<String>> read(TestDatabase db, String table, List<Col> columns) {
        return RowValues.read(db, "PUBLIC." + table, "ID", columns);
    }

    private void awaitConverged(JobHandle handle) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!converged()) {
            if (handle.status().isTerminal()) {
                fail("the stream ended before converging: " + handle.await().error());
            }
            if (System.nanoTime() > deadline) {
                RowValues.assertSameRows(ORDER_COLUMNS, read(source, "ORDERS", ORDER_COLUMNS),
                        read(target, "ORDERS", ORDER_COLUMNS));
                RowValues.assertSameRows(CUSTOMER_COLUMNS, read(source, "CUSTOMERS", CUSTOMER_COLUMNS),
                        read(target, "CUSTOMERS", CUSTOMER_COLUMNS));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /** Waits until checkpoints have let the stream delete every change it delivered from the change table. */
    private void awaitTrimmed(JobHandle handle) {
        String count = "SELECT COUNT(*) FROM FERRY.\"" + ChangeLog.forJob(job).changesTable() + "\"";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (source.queryLong(count) > 0) {
            if (handle.status().isTerminal() || System.nanoTime() > deadline) {
                fail(source.queryLong(count) + " changes are still in the change table; the stream is "
                        + handle.status());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    @Test
    void aWholeDatabaseStreamsIntoAnotherThroughASnapshotAndHundredsOfChanges() throws Exception {
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        // The application keeps its connection open, as one with a connection pool does.
        Thread application = new Thread(() -> {
            try (Connection c = source.connect(); Statement app = c.createStatement()) {
                for (int round = 0; round < 120; round++) {
                    write(app, round);
                }
            } catch (Throwable t) {
                writerFailure.set(t);
            }
        }, "application");
        JobReport report;
        try (SyncEngine engine = SyncEngine.builder().stateStore(new InMemoryStateStore()).build()) {
            JobHandle handle = engine.submit(spec());
            application.start();
            application.join(TimeUnit.SECONDS.toMillis(60));
            assertEquals(null, writerFailure.get(), "the application's writes must not fail under capture");
            awaitConverged(handle);
            // A loaded machine can copy after every write above: these come once the stream streams.
            try (Connection c = source.connect(); Statement app = c.createStatement()) {
                for (int round = 120; round < 140; round++) {
                    write(app, round);
                }
            }
            awaitConverged(handle);
            awaitTrimmed(handle);
            handle.stop();
            report = handle.await();
        }
        assertEquals(JobStatus.STOPPED, report.status(), report.error());
        assertEquals(0, report.dirtyRecords(), report.dirtySamples().toString());
        assertTrue(report.stream().snapshotRows() >= 220, report.stream().toString());
        assertTrue(report.stream().inserts() > 0 && report.stream().updates() > 0 && report.stream().deletes() > 0,
                report.stream().toString());
        assertTrue(converged(), "the target equals the source after the stop");
    }
}
