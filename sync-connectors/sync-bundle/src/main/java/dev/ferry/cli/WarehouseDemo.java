package dev.ferry.cli;

import dev.ferry.api.job.JobReport;
import dev.ferry.api.task.MergeInstance;
import dev.ferry.api.task.StageState;
import dev.ferry.api.task.TaskState;
import dev.ferry.api.task.TaskStatus;
import dev.ferry.engine.SyncEngine;
import dev.ferry.engine.TaskHandle;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * {@code sync demo warehouse}: the embedded H2 shop kept in an embedded DuckDB warehouse as a
 * {@code partitioned} task. The Full Initialization writes today's partition (Business Dates in
 * UTC here), real-time changes go to the change logs while an application writes, and then the
 * Incremental Merge builds today's partition from them and a Full Data Backfill writes tomorrow's;
 * each partition's rows are printed next to the source's.
 */
final class WarehouseDemo {

    private static final List<String> TABLES = List.of("customers", "products", "orders");
    private static final long MARKER = 9_999_999;
    private static final long DEADLINE_SECONDS = 120;

    private WarehouseDemo() {
    }

    static int run(int orders, PrintStream out, PrintStream err) {
        String sourceUrl = "jdbc:h2:mem:ferry_demo_dw_" + Long.toHexString(System.nanoTime()) + ";DB_CLOSE_DELAY=-1";
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger transactions = new AtomicInteger();
        AtomicReference<Throwable> appFailure = new AtomicReference<>();
        Path dir = null;
        try {
            dir = Files.createTempDirectory("ferry-demo-warehouse");
            String warehouse = "jdbc:duckdb:" + dir.resolve("warehouse.duckdb").toString().replace('\\', '/');
            try (Connection source = DriverManager.getConnection(sourceUrl, "sa", "");
                 SyncEngine engine = SyncEngine.builder().build()) {
                out.println("Demo warehouse: the same H2 shop into an embedded DuckDB warehouse, one partition per "
                        + "Business Date (task 'shop_dw', kind partitioned, dates in UTC)");
                TaskDemo.createShop(source, orders);
                LocalDate today = LocalDate.now(ZoneOffset.UTC);
                TaskHandle task = engine.tasks().start(taskJson(sourceUrl, warehouse));
                TaskDemo.await(task, status -> TaskDemo.streaming(status, 1));
                out.printf("Demo warehouse: Full Initialization wrote the partition of %s; an application writes, and "
                        + "its changes go to the change logs%n", today);
                Thread application = new Thread(() -> {
                    try {
                        TaskDemo.simulateApplication(sourceUrl, orders, writing, transactions);
                    } catch (Throwable t) {
                        appFailure.set(t);
                    }
                }, "demo-warehouse-application");
                application.start();
                TaskDemo.awaitTransactions(transactions, 200, appFailure);
                writing.set(false);
                application.join();
                if (appFailure.get() != null) {
                    throw new IllegalStateException("the simulated application failed: " + appFailure.get().getMessage(),
                            appFailure.get());
                }
                // The last transaction: once it is logged, every change before it is.
                try (Statement s = source.createStatement()) {
                    s.execute("INSERT INTO \"shop\".\"customers\" VALUES (" + MARKER + ", 'last', NULL, DATE '2026-01-01')");
                }
                awaitLogged(warehouse);
                task.stop();
                TaskStatus stopped = task.await();
                if (stopped.status() != TaskState.STOPPED) {
                    throw new IllegalStateException("task 'shop_dw' " + stopped.status() + ": " + stopped.error());
                }
                out.printf("Demo warehouse: %,d application transactions logged; task stopped%n", transactions.get() + 1);

                MergeInstance merge = engine.tasks().merge("shop_dw", today).orElseThrow();
                out.printf("Demo warehouse: Incremental Merge of %s %s: %,d rows%n", today, merge.status(), merge.rows());
                boolean equal = merge.status() == StageState.DONE && compare(source, warehouse, today, out);
                LocalDate tomorrow = today.plusDays(1);
                JobReport backfill = engine.tasks().backfill("shop_dw", tomorrow, Set.of()).orElseThrow();
                out.printf("Demo warehouse: Full Data Backfill of %s %s: %,d rows%n", tomorrow, backfill.status(),
                        backfill.recordsWritten());
                equal &= compare(source, warehouse, tomorrow, out);
                out.println("Demo warehouse: partitions " + (equal ? "equal" : "DIFFER from") + " the source");
                if (!equal) {
                    err.println("Demo warehouse: a partition does not match the source");
                    return Main.JOB_FAILED;
                }
                return Main.OK;
            }
        } catch (SQLException | IOException e) {
            err.println("Demo warehouse: embedded database failed: " + e.getMessage());
            return Main.JOB_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Main.JOB_FAILED;
        } catch (RuntimeException e) {
            err.println("Demo warehouse: " + e.getMessage());
            return Main.JOB_FAILED;
        } finally {
            writing.set(false);
            Demo.closeDatabase(sourceUrl);
            deleteQuietly(dir);
        }
    }

    private static String taskJson(String sourceUrl, String warehouse) {
        String tables = String.join(", ", TABLES.stream().map(t -> "\"shop." + t + "\"").toList());
        return """
                {"name": "shop_dw",
                 "source": {"connector": "h2", "url": "%s", "username": "sa", "tables": [%s]},
                 "target": {"connector": "duckdb", "url": "%s", "kind": "partitioned", "schema": "main",
                            "merge": {"at": "00:30", "zone": "UTC"}},
                 "settings": {"concurrency": 2, "stream": {"checkpointIntervalMillis": 200}}}
                """.formatted(sourceUrl, tables, warehouse);
    }

    /** Prints each table's rows in the source and in one date's partition; true when they agree. */
    private static boolean compare(Connection source, String warehouse, LocalDate date, PrintStream out)
            throws SQLException {
        boolean equal = true;
        String ds = date.format(DateTimeFormatter.BASIC_ISO_DATE);
        try (Connection dw = DriverManager.getConnection(warehouse)) {
            for (String table : TABLES) {
                String inSource = rows(source, "SELECT COUNT(*), SUM(\"id\") FROM \"shop\".\"" + table + "\"");
                String inPartition = rows(dw, "SELECT COUNT(*), SUM(\"id\") FROM main.\"" + table + "\" WHERE ds = '"
                        + ds + "'");
                out.printf("Demo warehouse:   shop.%-10s source %s, partition %s %s%n", table, inSource, ds, inPartition);
                equal &= inSource.equals(inPartition);
            }
        }
        return equal;
    }

    private static String rows(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return String.format("%,d rows (id sum %d)", rs.getLong(1), rs.getLong(2));
        }
    }

    private static void awaitLogged(String warehouse) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        try (Connection dw = DriverManager.getConnection(warehouse)) {
            while (!rows(dw, "SELECT COUNT(*), 0 FROM main.\"customers_log\" WHERE \"id\" = " + MARKER).startsWith("1 ")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the application's last transaction was not logged within "
                            + DEADLINE_SECONDS + " s");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory; the system cleans it up eventually
        }
    }
}
