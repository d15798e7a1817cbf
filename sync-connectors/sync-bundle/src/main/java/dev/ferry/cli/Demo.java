package dev.ferry.cli;

import dev.ferry.api.job.JobReport;
import dev.ferry.engine.SyncEngine;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * {@code sync demo}: the main job on embedded data, no setup needed. It creates an in-memory H2
 * database holding an {@code orders} table, then copies it with {@code splitPk} into a second
 * in-memory H2 database, printing the lifecycle and the summary, and checks the copy.
 */
final class Demo {

    static final int DEFAULT_ROWS = 1_000_000;
    static final int DEFAULT_CONCURRENCY = 4;

    private Demo() {
    }

    /**
     * {@code demo [batch|task|warehouse] [--rows N] [--concurrency N]}: the batch copy, the sync task
     * ({@link TaskDemo}) and the partitioned warehouse task ({@link WarehouseDemo}); one alone when named.
     */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        String which = !args.isEmpty() && !args.get(0).startsWith("--") ? args.remove(0) : "all";
        int rows = Main.intOption(args, "--rows", DEFAULT_ROWS, 1);
        int concurrency = Main.intOption(args, "--concurrency", DEFAULT_CONCURRENCY, 1);
        if (!args.isEmpty() || !List.of("all", "batch", "task", "warehouse").contains(which)) {
            throw new Main.UsageException("demo does not take " + (args.isEmpty() ? List.of(which) : args));
        }
        boolean all = which.equals("all");
        int code = all || which.equals("batch") ? batch(rows, concurrency, out, err) : Main.OK;
        if (code == Main.OK && (all || which.equals("task"))) {
            out.println();
            code = TaskDemo.run(Math.min(rows, TASK_ORDERS), out, err);
        }
        if (code == Main.OK && (all || which.equals("warehouse"))) {
            out.println();
            code = WarehouseDemo.run(Math.min(rows, TASK_ORDERS), out, err);
        }
        return code;
    }

    /** Orders of the task demo's shop at most: the demo shows the stages, not the copy speed. */
    static final int TASK_ORDERS = 100_000;

    private static int batch(int rows, int concurrency, PrintStream out, PrintStream err) {
        String id = Long.toHexString(System.nanoTime());
        String sourceUrl = "jdbc:h2:mem:ferry_demo_src_" + id + ";DB_CLOSE_DELAY=-1";
        String targetUrl = "jdbc:h2:mem:ferry_demo_dst_" + id + ";DB_CLOSE_DELAY=-1";
        try (Connection source = DriverManager.getConnection(sourceUrl, "sa", "");
             Connection target = DriverManager.getConnection(targetUrl, "sa", "")) {
            out.printf("Demo: creating an embedded H2 table 'orders' with %,d rows...%n", rows);
            createOrders(source, rows);
            try (Statement s = target.createStatement()) {
                s.execute(ORDERS_DDL);
            }
            out.printf("Demo: copying it to a second embedded H2 database with splitPk 'id' at concurrency %d%n",
                    concurrency);
            JobReport report;
            try (SyncEngine engine = SyncEngine.builder().build()) {
                report = engine.newJob("demo-orders-copy")
                        .source("h2", Map.of("url", sourceUrl, "username", "sa", "table", "orders", "splitPk", "id"))
                        .target("h2", Map.of("url", targetUrl, "username", "sa", "table", "orders"))
                        .concurrency(concurrency)
                        .run();
            }
            int code = Main.finish(report, null, out, err);
            if (code == Main.OK) {
                long copied = count(target, "SELECT COUNT(*) FROM \"orders\"");
                long checksumSource = count(source, CHECKSUM);
                long checksumTarget = count(target, CHECKSUM);
                out.printf("Demo: target holds %,d rows; checksum %s%n", copied,
                        checksumSource == checksumTarget ? "matches the source" : "DIFFERS from the source");
                if (copied != rows || checksumSource != checksumTarget) {
                    err.println("Demo: the copy does not match the source");
                    return Main.JOB_FAILED;
                }
            }
            return code;
        } catch (SQLException e) {
            err.println("Demo: embedded database failed: " + e.getMessage());
            return Main.JOB_FAILED;
        } finally {
            closeDatabase(sourceUrl);
            closeDatabase(targetUrl);
        }
    }

    private static final String ORDERS_DDL = """
            CREATE TABLE "orders" (
              "id" BIGINT PRIMARY KEY,
              "customer" VARCHAR(64) NOT NULL,
              "amount" DECIMAL(12, 2) NOT NULL,
              "status" VARCHAR(16) NOT NULL,
              "created_at" TIMESTAMP NOT NULL)""";

    private static final String CHECKSUM =
            "SELECT SUM(\"id\" * 31 + CAST(\"amount\" * 100 AS BIGINT) + LENGTH(\"customer\") + LENGTH(\"status\")"
                    + " + EXTRACT(EPOCH FROM \"created_at\")) FROM \"orders\"";

    private static void createOrders(Connection c, int rows) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(ORDERS_DDL);
            s.execute("INSERT INTO \"orders\" SELECT X, 'customer-' || MOD(X * 7919, 50000), "
                    + "CAST(MOD(X * 104729, 1000000) AS DECIMAL(12, 2)) / 100, "
                    + "CASE MOD(X, 4) WHEN 0 THEN 'NEW' WHEN 1 THEN 'PAID' WHEN 2 THEN 'SHIPPED' ELSE 'DONE' END, "
                    + "DATEADD('SECOND', X, TIMESTAMP '2026-01-01 00:00:00') FROM SYSTEM_RANGE(1, " + rows + ")");
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void closeDatabase(String url) {
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (SQLException ignored) {
            // already gone
        }
    }
}
