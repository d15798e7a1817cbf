package dev.ferry.cli;

import static dev.ferry.cli.StreamJar.MARIADB_SOURCE;
import static dev.ferry.cli.StreamJar.POSTGRES_TARGET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MariaDB counterpart of {@link StreamCrashIT}: a MariaDB to PostgreSQL stream run by the
 * packaged {@code sync.jar} with {@code --state} is killed with SIGKILL while transactions keep
 * coming, started again (resuming from its last saved binlog position), and stopped with SIGTERM;
 * the target must then equal the source exactly.
 */
class MariaDbStreamCrashIT {

    private static final Pattern PLANNED = Pattern.compile("table\\(s\\) \\[.*], start (\\S+)");
    private static final Pattern CHECKPOINT = Pattern.compile(" progress: .*, checkpoint (\\S+)");

    @TempDir
    Path dir;

    private final String table = StreamJar.uniqueName("mcrash");
    private final String job = table + "_job";

    @BeforeEach
    void setUp() {
        StreamJar.assumeReachable(MARIADB_SOURCE);
        StreamJar.assumeReachable(POSTGRES_TARGET);
        StreamJar.execute(MARIADB_SOURCE, "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, v INT NOT NULL, note VARCHAR(50))",
                "INSERT INTO " + table + " SELECT seq, 0, 'initial' FROM seq_1_to_20000");
    }

    @AfterEach
    void tearDown() {
        StreamJar.execute(MARIADB_SOURCE, "DROP TABLE IF EXISTS " + table);
        StreamJar.execute(POSTGRES_TARGET, "DROP TABLE IF EXISTS " + table);
    }

    /** The rows in key order as text, read the same way from both servers. */
    private List<String> rows(String url) {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, "root", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, v, note FROM " + table + " ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getLong(1) + "|" + rs.getInt(2) + "|" + rs.getString(3));
            }
        } catch (SQLException e) {
            rows.add("unreadable: " + e.getMessage());
        }
        return rows;
    }

    @Test
    void aStreamKilledWithSigkillResumesFromItsBinlogCheckpointAndConvergesExactly() throws Exception {
        Path jobFile = dir.resolve("stream.json");
        Files.writeString(jobFile, """
                {"name": "%s", "mode": "stream",
                 "source": {"connector": "mariadb", "url": "%s", "username": "root", "tables": ["test.%s"],
                            "capture": {"startFrom": "snapshot"}},
                 "target": {"connector": "postgresql", "url": "%s", "username": "root"},
                 "settings": {"concurrency": 2, "progressIntervalMillis": 200, "stream": {"checkpointIntervalMillis": 100}}}
                """.formatted(job, MARIADB_SOURCE, table, POSTGRES_TARGET));
        Path state = dir.resolve("state");
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger round = new AtomicInteger();
        Thread writer = new Thread(() -> {
            while (writing.get()) {
                int r = round.incrementAndGet();
                StreamJar.execute(MARIADB_SOURCE, "BEGIN", "UPDATE " + table + " SET v = v + 1 WHERE id % 50 = " + (r % 50),
                        "INSERT INTO " + table + " VALUES (" + (100_000 + r) + ", " + r + ", 'new')",
                        "DELETE FROM " + table + " WHERE id = " + (r * 7), "COMMIT");
            }
        });
        Path firstLog = dir.resolve("first.log");
        Process first = StreamJar.start(jobFile, state, firstLog, "-Xmx256m");
        try {
            writer.start();
            // Kill it once it is streaming and has saved a checkpoint past its start, while changes keep coming.
            StreamJar.await(first, firstLog, 90, "a checkpoint saved while streaming", () -> round.get() >= 50
                    && movedCheckpoint(log(firstLog)));
        } finally {
            first.destroyForcibly();
        }
        assertTrue(first.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, first.exitValue(), "SIGKILL");
        int writtenWhileDown = round.get() + 100;
        while (round.get() < writtenWhileDown) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        Path secondLog = dir.resolve("second.log");
        Process second = StreamJar.start(jobFile, state, secondLog, "-Xmx256m");
        try {
            int atRestart = round.get();
            while (round.get() < atRestart + 100) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            writing.set(false);
            writer.join();
            StreamJar.await(second, secondLog, 90, "convergence", () -> rows(MARIADB_SOURCE).equals(rows(POSTGRES_TARGET)));
            second.destroy();
            assertTrue(second.waitFor(60, TimeUnit.SECONDS), "SIGTERM stops the stream");
        } finally {
            writing.set(false);
            second.destroyForcibly();
        }
        String output = Files.readString(secondLog);
        assertEquals(0, second.exitValue(), output);
        // It resumed from a checkpoint the first run saved while streaming, not from where the plan started.
        Matcher planned = PLANNED.matcher(log(firstLog));
        Matcher resumed = Pattern.compile("resuming after checkpoint (\\S+)").matcher(output);
        assertTrue(planned.find(), log(firstLog));
        assertTrue(resumed.find(), output);
        assertNotEquals(planned.group(1), resumed.group(1), "the first run saved checkpoints while streaming");
        assertTrue(output.contains("RUNNING -> STOPPED"), output);
        assertEquals(rows(MARIADB_SOURCE), rows(POSTGRES_TARGET));
        assertTrue(log(firstLog).contains("stage SNAPSHOT finished"), log(firstLog));
    }

    /** Whether a progress line shows a checkpoint other than the planned start. */
    private static boolean movedCheckpoint(String log) {
        Matcher planned = PLANNED.matcher(log);
        if (!planned.find()) {
            return false;
        }
        Matcher progress = CHECKPOINT.matcher(log);
        while (progress.find()) {
            if (!progress.group(1).equals(planned.group(1)) && !progress.group(1).equals("-")) {
                return true;
            }
        }
        return false;
    }

    private static String log(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
