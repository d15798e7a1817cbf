package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The task verbs' answers to mistakes; the operations themselves run against servers in the task ITs. */
class TaskCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    private int sync(String... args) {
        return Main.run(args, new PrintStream(outBytes, true, StandardCharsets.UTF_8),
                new PrintStream(errBytes, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    private String state() {
        return dir.resolve("state").toString();
    }

    @Test
    void anInvalidTaskFileExitsTwoListingEveryProblemWithThePasswordMasked() throws Exception {
        Path file = dir.resolve("shop.json");
        Files.writeString(file, """
                {"name": "shop", "colour": "blue",
                 "source": {"connector": "postgresql", "url": "jdbc:postgresql://127.0.0.1:1/db", "username": "u",
                            "password": "s3cret-pw", "tables": ["public.orders"], "shade": 1},
                 "target": {"connector": "mariadb", "url": "jdbc:mariadb://127.0.0.1:1/db", "kind": "mirror"},
                 "realtime": "yes"}
                """);
        assertEquals(2, sync("task", "start", file.toString(), "--state", state()));
        String err = err();
        assertTrue(err.contains("colour"), err);
        assertTrue(err.contains("target.kind must be upsert or partitioned"), err);
        assertTrue(err.contains("realtime"), err);
        assertTrue(err.contains("source.shade"), err);
        assertFalse(err.contains("s3cret-pw"), "the password never shows: " + err);
        assertEquals(0, sync("task", "list", "--state", state()));
        assertEquals("", outBytes.toString(StandardCharsets.UTF_8), "nothing was committed");
    }

    @Test
    void operationsOnAnUnknownTaskExitTwoNamingIt() {
        assertEquals(2, sync("task", "status", "nosuch", "--state", state()));
        assertTrue(err().contains("'nosuch'"), err());
        assertEquals(2, sync("task", "rerun", "nosuch", "--state", state()));
        assertEquals(2, sync("task", "stop", "nosuch", "--state", state()));
    }

    @Test
    void taskCommandLineMistakesExitTwo() {
        assertEquals(2, sync("task"));
        assertTrue(err().contains("task needs a verb"), err());
        assertEquals(2, sync("task", "launch", "--state", state()));
        assertTrue(err().contains("unknown task verb 'launch'"), err());
        assertEquals(2, sync("task", "start", "--state", state()));
        assertEquals(2, sync("task", "status", "a", "b", "--state", state()));
    }
}
