package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives one task through the packaged {@code sync.jar} the way an operator does: a runner
 * process per {@code task start}, one short process per other verb, all on one state store;
 * and compares target tables with their source tables row for row.
 */
final class TaskHarness {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final String task;
    private final List<Process> processes = new ArrayList<>();
    /** While set, the test's application holds its writes, so that source and target can meet. */
    final AtomicBoolean paused = new AtomicBoolean(false);
    private int logs;
    private Path runnerLog;
    private String state;

    TaskHarness(Path dir, String task) {
        this.dir = dir;
        this.task = task;
        this.state = dir.resolve("state").toString();
    }

    /** Makes every process use the state store at {@code location} (a JDBC URL) instead of {@code DIR/state}. */
    TaskHarness stateAt(String location) {
        state = location;
        return this;
    }

    /**
     * A harness for {@code task} from PostgreSQL ({@link StreamJar#POSTGRES_SOURCE}) to MariaDB
     * ({@code target}), with a schema named like the task holding one table per entry of
     * {@code rows}, {@code (id bigint PRIMARY KEY, v int NOT NULL, note text)} with that many rows,
     * and a database of the same name on the target; {@link #close} drops them with the task's
     * slot and publication. Skips the test when a server is not reachable.
     */
    static TaskHarness postgresToMariaDb(Path dir, String task, String target, Map<String, Integer> rows) {
        String source = StreamJar.POSTGRES_SOURCE;
        StreamJar.assumeReachable(source);
        StreamJar.assumeReachable(target);
        List<String> ddl = new ArrayList<>(List.of("CREATE SCHEMA " + task));
        rows.forEach((table, count) -> {
            ddl.add("CREATE TABLE " + task + "." + table + " (id bigint PRIMARY KEY, v int NOT NULL, note text)");
            ddl.add("INSERT INTO " + task + "." + table + " SELECT g, g % 7, 'row ' || g FROM generate_series(1, "
                    + count + ") g");
        });
        StreamJar.execute(source, ddl.toArray(String[]::new));
        StreamJar.execute(target, "CREATE DATABASE " + task);
        TaskHarness harness = new TaskHarness(dir, task);
        harness.cleanup = () -> {
            StreamJar.dropSlot(source, "ferry_" + task);
            StreamJar.execute(source, "DROP SCHEMA IF EXISTS " + task + " CASCADE");
            StreamJar.execute(target, "DROP DATABASE IF EXISTS " + task);
        };
        return harness;
    }

    private Runnable cleanup = () -> { };

    /**
     * Runs {@code statements} on {@code url} when the harness closes (after its runners ended): the
     * test's databases, schemas, slots. Returns the harness.
     */
    TaskHarness dropAfterwards(String url, String... statements) {
        Runnable before = cleanup;
        cleanup = () -> {
            before.run();
            StreamJar.execute(url, statements);
        };
        return this;
    }

    /** {@code task start FILE}: the runner process. */
    Process start(Path file) throws IOException {
        runnerLog = log();
        Process p = StreamJar.sync(runnerLog, "task", "start", file.toString(), "--state", state);
        processes.add(p);
        return p;
    }

    /** What the last runner printed. */
    String runnerOutput() {
        try {
            return Files.readString(runnerLog);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private Path log() {
        return dir.resolve("sync-" + (logs++) + ".log");
    }

    /** Runs {@code sync.jar ARGS… --state STATE} to its end. */
    StreamJar.Ran cli(String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--state", state));
        return StreamJar.syncAndWait(log(), all.toArray(String[]::new));
    }

    /** {@code task status NAME --json}. */
    JsonNode status() throws IOException, InterruptedException {
        StreamJar.Ran ran = cli("task", "status", task, "--json");
        assertEquals(0, ran.exitCode(), ran.output());
        return JSON.readTree(ran.output().substring(ran.output().indexOf('{')));
    }

    static JsonNode stage(JsonNode status, String name) {
        for (JsonNode stage : status.get("stages")) {
            if (stage.get("name").asText().equals(name)) {
                return stage;
            }
        }
        throw new AssertionError("no stage " + name + " in " + status);
    }

    /** Waits until the task streams on {@code version} (its Full Initialization done). */
    JsonNode awaitStreaming(Process runner, int version) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            StreamJar.Ran ran = cli("task", "status", task, "--json");
            JsonNode status = ran.exitCode() != 0 ? null : JSON.readTree(ran.output().substring(ran.output().indexOf('{')));
            // A runner that has just committed its version may not have saved a status with stages yet.
            if (status != null && status.get("version").asInt() == version && status.get("stages").size() > 0
                    && stage(status, "REALTIME").get("status").asText().equals("RUNNING")
                    && stage(status, "FULL_INITIALIZATION").get("status").asText().equals("DONE")) {
                return status;
            }
            if (!runner.isAlive() || System.nanoTime() > deadline) {
                fail("task never streamed on version " + version + ": " + (status == null ? ran.output() : status) + "\n"
                        + runnerOutput());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300));
        }
    }

    /** A table's rows {@code (id, v, note)} as a count and a hash, the same on every database. */
    static String rows(String url, String table) {
        StringBuilder sb = new StringBuilder();
        try (Connection c = DriverManager.getConnection(url, "root", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, v, note FROM " + table + " ORDER BY id")) {
            int n = 0;
            while (rs.next()) {
                sb.append(rs.getLong(1)).append(',').append(rs.getInt(2)).append(',').append(rs.getString(3)).append('|');
                n++;
            }
            return n + ":" + Integer.toHexString(sb.toString().hashCode());
        } catch (SQLException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    /** Holds the application's writes until every table equals its source, then lets it go on. */
    void awaitConverged(Process runner, String sourceUrl, String targetUrl, List<String> tables) {
        paused.set(true);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            for (String table : tables) {
                while (!rows(sourceUrl, table).equals(rows(targetUrl, table))) {
                    if (!runner.isAlive() || System.nanoTime() > deadline) {
                        fail(table + " did not converge: source " + rows(sourceUrl, table) + ", target "
                                + rows(targetUrl, table) + (runner.isAlive() ? "" : " (runner ended " + runner.exitValue()
                                + ")") + "\n" + runnerOutput());
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                }
            }
        } finally {
            paused.set(false);
        }
    }

    /** A write of the test's application: one source transaction per round number. */
    interface Round {
        void write(int round) throws Exception;
    }

    private final AtomicBoolean writing = new AtomicBoolean(true);
    private final java.util.concurrent.atomic.AtomicInteger rounds = new java.util.concurrent.atomic.AtomicInteger();
    private Thread application;

    /** Starts the application: {@code round} runs again and again until {@link #stopApplication}, held while paused. */
    void startApplication(Round round) {
        application = new Thread(() -> {
            while (writing.get()) {
                if (paused.get()) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                    continue;
                }
                try {
                    round.write(rounds.incrementAndGet());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }, "application");
        application.start();
    }

    /** Waits until the application has written {@code more} rounds. */
    void awaitRounds(int more) {
        int until = rounds.get() + more;
        while (rounds.get() < until) {
            if (!application.isAlive()) {
                fail("the application stopped writing");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    void stopApplication() throws InterruptedException {
        writing.set(false);
        if (application != null) {
            application.join();
        }
    }

    /** Stops the application, ends every runner still alive and drops what the harness created. */
    void close() throws InterruptedException {
        stopApplication();
        killAll();
        cleanup.run();
    }

    /** Ends every runner still alive. */
    void killAll() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
