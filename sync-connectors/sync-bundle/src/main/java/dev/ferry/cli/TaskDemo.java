package dev.ferry.cli;

import dev.ferry.api.task.StageState;
import dev.ferry.api.task.TaskStage;
import dev.ferry.api.task.TaskState;
import dev.ferry.api.task.TaskStatus;
import dev.ferry.engine.SyncEngine;
import dev.ferry.engine.TaskHandle;
import dev.ferry.engine.task.TaskStatusText;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * {@code sync demo task}: a whole-database sync task on embedded data, no servers. An embedded H2
 * database {@code shop} (customers, products, orders, reviews) is synchronized into a second one
 * while a simulated application writes to it: Schema Migration and Full Initialization of three
 * tables, Real-time Synchronization of the application's changes made during and after the copy,
 * an Edit that adds the fourth table while the task runs, and a final check that every table of the
 * target equals its source.
 *
 * <p>H2 has no change log Ferry can read, so its changes are captured with triggers into a change
 * table, the documented method for such databases (it adds to each write's cost).
 */
final class TaskDemo {

    private static final String[] FIRST_TABLES = {"customers", "products", "orders"};
    private static final String ADDED_TABLE = "reviews";
    private static final long DEADLINE_SECONDS = 120;

    private TaskDemo() {
    }

    static int run(int orders, PrintStream out, PrintStream err) {
        String id = Long.toHexString(System.nanoTime());
        String sourceUrl = "jdbc:h2:mem:ferry_demo_shop_" + id + ";DB_CLOSE_DELAY=-1";
        String targetUrl = "jdbc:h2:mem:ferry_demo_mirror_" + id + ";DB_CLOSE_DELAY=-1";
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger transactions = new AtomicInteger();
        AtomicReference<Throwable> appFailure = new AtomicReference<>();
        Thread application = null;
        try (Connection source = DriverManager.getConnection(sourceUrl, "sa", "");
             Connection target = DriverManager.getConnection(targetUrl, "sa", "");
             SyncEngine engine = SyncEngine.builder().build()) {
            out.printf("Demo task: creating an embedded H2 database 'shop' (customers, products, %,d orders, reviews)%n",
                    orders);
            createShop(source, orders);
            try (Statement s = target.createStatement()) {
                s.execute("CREATE SCHEMA \"shop\"");
            }
            application = new Thread(() -> {
                try {
                    simulateApplication(sourceUrl, orders, writing, transactions);
                } catch (Throwable t) {
                    appFailure.set(t);
                }
            }, "demo-application");
            application.start();
            out.println("Demo task: an application writes to the shop from now on; starting task 'shop' on "
                    + String.join(", ", FIRST_TABLES) + " (changes captured with triggers: H2 has no readable log)");
            TaskHandle task = engine.tasks().start(taskJson(sourceUrl, targetUrl, List.of(FIRST_TABLES)));
            TaskStatus status = await(task, s -> streaming(s, 1));
            out.printf("Demo task: Full Initialization done, Real-time Synchronization running (%,d application "
                    + "transactions so far)%n", transactions.get());
            awaitTransactions(transactions, 300, appFailure);

            List<String> all = new ArrayList<>(List.of(FIRST_TABLES));
            all.add(ADDED_TABLE);
            out.println("Demo task: Edit adds '" + ADDED_TABLE + "' while the task runs");
            int version = engine.tasks().edit(taskJson(sourceUrl, targetUrl, all));
            status = await(task, s -> streaming(s, version));
            out.printf("Demo task: '%s' copied and streaming with the others (version %d)%n", ADDED_TABLE, version);
            awaitTransactions(transactions, 300, appFailure);

            writing.set(false);
            application.join();
            if (appFailure.get() != null) {
                throw new IllegalStateException("the simulated application failed: " + appFailure.get().getMessage(),
                        appFailure.get());
            }
            out.printf("Demo task: the application stopped after %,d transactions; waiting for the target to catch up%n",
                    transactions.get());
            boolean equal = awaitEqual(source, target, all);
            status = task.status();
            out.print(TaskStatusText.render(status));
            for (String table : all) {
                out.printf("Demo task: shop.%-10s source %s, target %s%n", table, fingerprint(source, table),
                        fingerprint(target, table));
            }
            task.stop();
            TaskStatus last = task.await();
            out.println("Demo task: task 'shop' " + last.status() + "; target " + (equal ? "equals" : "DIFFERS from")
                    + " the source");
            if (!equal || last.status() != TaskState.STOPPED) {
                err.println("Demo task: the target does not match the source" + (last.error() == null ? ""
                        : ": " + last.error()));
                return Main.JOB_FAILED;
            }
            return Main.OK;
        } catch (SQLException e) {
            err.println("Demo task: embedded database failed: " + e.getMessage());
            return Main.JOB_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Main.JOB_FAILED;
        } catch (RuntimeException e) {
            err.println("Demo task: " + e.getMessage());
            return Main.JOB_FAILED;
        } finally {
            writing.set(false);
            Demo.closeDatabase(sourceUrl);
            Demo.closeDatabase(targetUrl);
        }
    }

    private static String taskJson(String sourceUrl, String targetUrl, List<String> tables) {
        List<String> names = tables.stream().map(t -> "\"shop." + t + "\"").toList();
        return """
                {"name": "shop",
                 "source": {"connector": "h2", "url": "%s", "username": "sa", "tables": [%s]},
                 "target": {"connector": "h2", "url": "%s", "username": "sa", "kind": "upsert", "schema": "shop"},
                 "settings": {"concurrency": 2, "stream": {"checkpointIntervalMillis": 200}}}
                """.formatted(sourceUrl, String.join(", ", names), targetUrl);
    }

    static boolean streaming(TaskStatus s, int version) {
        return s.version() == version && s.stage(TaskStage.REALTIME).status() == StageState.RUNNING
                && s.stage(TaskStage.FULL_INITIALIZATION).status() == StageState.DONE;
    }

    /** Waits for the task to reach a state; fails when it ended or took too long. */
    static TaskStatus await(TaskHandle task, Predicate<TaskStatus> reached) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        while (true) {
            TaskStatus status = task.status();
            if (reached.test(status)) {
                return status;
            }
            if (task.completion().isDone() || System.nanoTime() > deadline) {
                throw new IllegalStateException("task '" + task.name() + "' is " + status.status() + (status.error() == null ? ""
                        : ": " + status.error()));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    static void awaitTransactions(AtomicInteger transactions, int more, AtomicReference<Throwable> failure) {
        int until = transactions.get() + more;
        while (transactions.get() < until && failure.get() == null) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private static boolean awaitEqual(Connection source, Connection target, List<String> tables) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        for (String table : tables) {
            while (!fingerprint(source, table).equals(fingerprint(target, table))) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
        return true;
    }

    /** A table's rows as their count and a hash of every value in key order. */
    static String fingerprint(Connection c, String table) {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM \"shop\".\"" + table + "\" ORDER BY \"id\"")) {
            int columns = rs.getMetaData().getColumnCount();
            long rows = 0;
            long hash = 17;
            while (rs.next()) {
                rows++;
                for (int i = 1; i <= columns; i++) {
                    hash = hash * 31 + String.valueOf(rs.getObject(i)).hashCode();
                }
            }
            return String.format("%,d rows, hash %016x", rows, hash);
        } catch (SQLException e) {
            return "unreadable (" + e.getMessage() + ")";
        }
    }

    static void createShop(Connection c, int orders) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA \"shop\"");
            s.execute("CREATE TABLE \"shop\".\"customers\" (\"id\" BIGINT PRIMARY KEY, \"name\" VARCHAR(64) NOT NULL, "
                    + "\"city\" VARCHAR(32), \"since\" DATE NOT NULL)");
            s.execute("INSERT INTO \"shop\".\"customers\" SELECT X, 'customer-' || X, "
                    + "CASE MOD(X, 3) WHEN 0 THEN 'Berlin' WHEN 1 THEN 'Shanghai' ELSE NULL END, "
                    + "DATEADD('DAY', MOD(X, 900), DATE '2024-01-01') FROM SYSTEM_RANGE(1, 5000)");
            s.execute("CREATE TABLE \"shop\".\"products\" (\"id\" BIGINT PRIMARY KEY, \"title\" VARCHAR(64) NOT NULL, "
                    + "\"price\" DECIMAL(10, 2) NOT NULL)");
            s.execute("INSERT INTO \"shop\".\"products\" SELECT X, 'product-' || X, CAST(MOD(X * 7919, 100000) AS "
                    + "DECIMAL(10, 2)) / 100 FROM SYSTEM_RANGE(1, 1000)");
            s.execute("CREATE TABLE \"shop\".\"orders\" (\"id\" BIGINT PRIMARY KEY, \"customer_id\" BIGINT NOT NULL, "
                    + "\"product_id\" BIGINT NOT NULL, \"quantity\" INT NOT NULL, \"status\" VARCHAR(16) NOT NULL, "
                    + "\"created_at\" TIMESTAMP NOT NULL)");
            s.execute("INSERT INTO \"shop\".\"orders\" SELECT X, MOD(X * 31, 5000) + 1, MOD(X * 17, 1000) + 1, "
                    + "MOD(X, 5) + 1, CASE MOD(X, 3) WHEN 0 THEN 'NEW' WHEN 1 THEN 'PAID' ELSE 'SHIPPED' END, "
                    + "DATEADD('SECOND', X, TIMESTAMP '2026-01-01 00:00:00') FROM SYSTEM_RANGE(1, " + orders + ")");
            s.execute("CREATE TABLE \"shop\".\"reviews\" (\"id\" BIGINT PRIMARY KEY, \"product_id\" BIGINT NOT NULL, "
                    + "\"stars\" SMALLINT NOT NULL, \"text\" VARCHAR(200))");
            s.execute("INSERT INTO \"shop\".\"reviews\" SELECT X, MOD(X * 13, 1000) + 1, MOD(X, 5) + 1, "
                    + "'review ' || X FROM SYSTEM_RANGE(1, 2000)");
        }
    }

    /** Small transactions on every table: new orders and reviews, paid and shipped orders, customers moving. */
    static void simulateApplication(String url, int orders, AtomicBoolean writing, AtomicInteger transactions)
            throws SQLException {
        Random random = new Random(42);
        long nextOrder = orders + 1;
        long nextReview = 2001;
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             PreparedStatement newOrder = c.prepareStatement("INSERT INTO \"shop\".\"orders\" VALUES (?, ?, ?, ?, 'NEW', "
                     + "CURRENT_TIMESTAMP(0))");
             PreparedStatement ship = c.prepareStatement("UPDATE \"shop\".\"orders\" SET \"status\" = 'SHIPPED' "
                     + "WHERE \"id\" = ?");
             PreparedStatement cancel = c.prepareStatement("DELETE FROM \"shop\".\"orders\" WHERE \"id\" = ?");
             PreparedStatement move = c.prepareStatement("UPDATE \"shop\".\"customers\" SET \"city\" = ? "
                     + "WHERE \"id\" = ?");
             PreparedStatement reprice = c.prepareStatement("UPDATE \"shop\".\"products\" SET \"price\" = \"price\" "
                     + "+ 1 WHERE \"id\" = ?");
             PreparedStatement review = c.prepareStatement("INSERT INTO \"shop\".\"reviews\" VALUES (?, ?, ?, ?)")) {
            c.setAutoCommit(false);
            while (writing.get()) {
                newOrder.setLong(1, nextOrder++);
                newOrder.setLong(2, random.nextInt(5000) + 1);
                newOrder.setLong(3, random.nextInt(1000) + 1);
                newOrder.setInt(4, random.nextInt(5) + 1);
                newOrder.executeUpdate();
                ship.setLong(1, random.nextInt(orders) + 1);
                ship.executeUpdate();
                cancel.setLong(1, random.nextInt(orders) + 1);
                cancel.executeUpdate();
                move.setString(1, random.nextBoolean() ? "Lisbon" : null);
                move.setLong(2, random.nextInt(5000) + 1);
                move.executeUpdate();
                reprice.setLong(1, random.nextInt(1000) + 1);
                reprice.executeUpdate();
                review.setLong(1, nextReview++);
                review.setLong(2, random.nextInt(1000) + 1);
                review.setInt(3, random.nextInt(5) + 1);
                review.setString(4, "great " + nextReview);
                review.executeUpdate();
                c.commit();
                transactions.incrementAndGet();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
    }
}
