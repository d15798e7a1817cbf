package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;

/**
 * What the tests that run the packaged {@code sync.jar} as a separate process share: starting it
 * with a heap limit, waiting for its log or for a condition while it is alive, and plain SQL on
 * the test servers.
 */
final class StreamJar {

    static final String POSTGRES_SOURCE = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String POSTGRES_TARGET = "jdbc:postgresql://127.0.0.1:5432/root";
    static final String MARIADB_SOURCE = "jdbc:mariadb://127.0.0.1:3306/test";

    private StreamJar() {
    }

    /** A lower-case name no other test uses. */
    static String uniqueName(String prefix) {
        return (prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10)).toLowerCase(Locale.ROOT);
    }

    /** Fails (with -Dferry.it.required=true) or skips the test when the server is down. */
    static void assumeReachable(String url) {
        try (Connection ignored = DriverManager.getConnection(url, "root", "")) {
            // reachable
        } catch (SQLException e) {
            if ("true".equals(System.getProperty("ferry.it.required"))) {
                fail(url + " is not reachable: " + e.getMessage());
            }
            Assumptions.abort(url + " is not reachable: " + e.getMessage());
        }
    }

    static void execute(String url, String... statements) {
        try (Connection c = DriverManager.getConnection(url, "root", ""); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    static long queryLong(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url, "root", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Drops a PostgreSQL replication slot (ending the backend that holds it) and its publication. */
    static void dropSlot(String url, String slot) {
        execute(url, "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = '" + slot
                + "' AND active_pid IS NOT NULL");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                execute(url, "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
                        + slot + "'", "DROP PUBLICATION IF EXISTS " + slot);
                return;
            } catch (IllegalStateException e) {
                // the terminated walsender may still hold the slot for a moment
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
    }

    /** Starts {@code java [jvmOptions] -jar target/sync.jar run JOB --state DIR}, output to {@code log}. */
    static Process start(Path jobFile, Path stateDir, Path log, String... jvmOptions) throws IOException {
        List<String> command = new ArrayList<>(List.of(jvmOptions));
        command.addAll(List.of("-jar", jar(), "run", jobFile.toString(), "--state", stateDir.toString()));
        return java(command, Map.of(), log);
    }

    /** Starts {@code java -Xmx256m -jar target/sync.jar ARGS…}, output to {@code log}. */
    static Process sync(Path log, String... args) throws IOException {
        return sync(log, Map.of(), args);
    }

    /** Starts {@code java -Xmx256m -jar target/sync.jar ARGS…} with more environment variables, output to {@code log}. */
    static Process sync(Path log, Map<String, String> environment, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("-Xmx256m", "-jar", jar()));
        command.addAll(List.of(args));
        return java(command, environment, log);
    }

    /** Runs {@code sync.jar ARGS…} to its end and returns its exit code and output. */
    static Ran syncAndWait(Path log, String... args) throws IOException, InterruptedException {
        Process process = sync(log, args);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "sync " + List.of(args) + " did not end");
        return new Ran(process.exitValue(), Files.readString(log));
    }

    /** A finished command: its exit code and everything it printed. */
    record Ran(int exitCode, String output) {
    }

    private static String jar() {
        Path jar = Path.of("target/sync.jar");
        assertTrue(Files.exists(jar), "package the bundle first: " + jar.toAbsolutePath());
        return jar.toString();
    }

    private static Process java(List<String> arguments, Map<String, String> environment, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** Waits until {@code condition} holds while the process lives, failing with its log otherwise. */
    static void await(Process process, Path log, long seconds, String what, BooleanSupplier condition) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                fail("sync ended (exit " + process.exitValue() + ") before " + what + ":\n" + Files.readString(log));
            }
            if (System.nanoTime() > deadline) {
                fail("no " + what + " within " + seconds + " s:\n" + Files.readString(log));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    /** Waits until the log contains {@code text}. */
    static void awaitLog(Process process, Path log, long seconds, String text) throws IOException {
        await(process, log, seconds, "'" + text + "' in the log", () -> {
            try {
                return Files.readString(log).contains(text);
            } catch (IOException e) {
                return false;
            }
        });
    }
}
