package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A streaming job run by the packaged {@code sync.jar} with {@code --state}: killed with SIGKILL
 * in the middle of a stream of writes, started again, and finally stopped with SIGTERM. The
 * target must then equal the source exactly: nothing lost, nothing doubled.
 */
class StreamCrashIT {

    private static final String SOURCE = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String TARGET = "jdbc:postgresql://127.0.0.1:5432/root";

    @TempDir
    Path dir;

    private final String table = ("crash_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10))
            .toLowerCase(Locale.ROOT);
    private final String job = table + "_job";

    private static void execute(String url, String... statements) {
        try (Connection c = DriverManager.getConnection(url, "root", ""); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static String checksum(String url, String table) {
        try (Connection c = DriverManager.getConnection(url, "root", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) || ':' || coalesce(md5(string_agg(x::text, '|' ORDER BY x.id)), '') FROM "
                     + table + " x")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    @BeforeEach
    void setUp() {
        try (Connection ignored = DriverManager.getConnection(SOURCE, "root", "")) {
            // reachable
        } catch (SQLException e) {
            if ("true".equals(System.getProperty("ferry.it.required"))) {
                fail("PostgreSQL is not reachable: " + e.getMessage());
            }
            Assumptions.abort("PostgreSQL is not reachable: " + e.getMessage());
        }
        execute(SOURCE, "CREATE TABLE " + table + " (id bigint PRIMARY KEY, v int NOT NULL, note text)",
                "INSERT INTO " + table + " SELECT g, 0, 'initial' FROM generate_series(1, 20000) g");
    }

    @AfterEach
    void tearDown() {
        String slot = "ferry_" + job;
        execute(SOURCE, "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = '" + slot
                        + "' AND active_pid IS NOT NULL");
        execute(SOURCE, "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + slot + "'",
                "DROP PUBLICATION IF EXISTS " + slot, "DROP TABLE IF EXISTS " + table);
        execute(TARGET, "DROP TABLE IF EXISTS " + table);
    }

    private Process start(Path jobFile, Path log) throws IOException {
        Path jar = Path.of("target/sync.jar");
        assertTrue(Files.exists(jar), "package the bundle first: " + jar.toAbsolutePath());
        return new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-jar", jar.toString(), "run", jobFile.toString(), "--state", dir.resolve("state").toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private void awaitConverged(Process process, Path log) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!checksum(SOURCE, table).equals(checksum(TARGET, table))) {
            if (!process.isAlive()) {
                fail("sync ended before converging:\n" + Files.readString(log));
            }
            if (System.nanoTime() > deadline) {
                fail("no convergence: source " + checksum(SOURCE, table) + ", target " + checksum(TARGET, table) + "\n"
                        + Files.readString(log));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    @Test
    void aStreamKilledWithSigkillResumesFromItsCheckpointAndConvergesExactly() throws Exception {
        Path jobFile = dir.resolve("stream.json");
        Files.writeString(jobFile, """
                {"name": "%s", "mode": "stream",
                 "source": {"connector": "postgresql", "url": "%s", "username": "root", "tables": ["public.%s"],
                            "capture": {"startFrom": "snapshot", "heartbeatIntervalMillis": 200}},
                 "target": {"connector": "postgresql", "url": "%s", "username": "root"},
                 "settings": {"concurrency": 2, "stream": {"checkpointIntervalMillis": 100}}}
                """.formatted(job, SOURCE, table, TARGET));
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger round = new AtomicInteger();
        Thread writer = new Thread(() -> {
            while (writing.get()) {
                int r = round.incrementAndGet();
                // Increments are not idempotent on their own: a change applied twice would show in v.
                execute(SOURCE, "BEGIN; UPDATE " + table + " SET v = v + 1 WHERE id % 50 = " + (r % 50) + "; INSERT INTO "
                        + table + " VALUES (" + (100_000 + r) + ", " + r + ", 'new'); DELETE FROM " + table + " WHERE id = "
                        + (r * 7) + "; COMMIT");
            }
        });
        Path firstLog = dir.resolve("first.log");
        Process first = start(jobFile, firstLog);
        writer.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        // Kill it once it is streaming: the snapshot is in and changes are being applied.
        while (!Files.readString(firstLog).contains("stage STREAM started") || round.get() < 50) {
            if (!first.isAlive() || System.nanoTime() > deadline) {
                fail("the first run never reached streaming:\n" + Files.readString(firstLog));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300));
        first.destroyForcibly();
        assertTrue(first.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, first.exitValue(), "SIGKILL");
        int writtenWhileDown = round.get() + 100;
        while (round.get() < writtenWhileDown) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        Path secondLog = dir.resolve("second.log");
        Process second = start(jobFile, secondLog);
        int atRestart = round.get();
        while (round.get() < atRestart + 100) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        writing.set(false);
        writer.join();
        awaitConverged(second, secondLog);
        second.destroy();
        assertTrue(second.waitFor(60, TimeUnit.SECONDS), "SIGTERM stops the stream");
        String output = Files.readString(secondLog);
        assertEquals(0, second.exitValue(), output);
        assertTrue(output.contains("resuming after checkpoint"), output);
        assertTrue(output.contains("RUNNING -> STOPPED"), output);
        assertEquals(checksum(SOURCE, table), checksum(TARGET, table));
        assertTrue(new String(Files.readAllBytes(firstLog), StandardCharsets.UTF_8).contains("stage SNAPSHOT finished"));
    }
}
