package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoTest {

    /** The README's first command: the batch copy, the sync task and the warehouse, each checked. */
    @Test
    void demoCopiesTheEmbeddedTableAndChecksIt() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"demo", "--rows", "50000", "--concurrency", "3"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8) + printed);
        assertTrue(printed.contains("Demo: target holds 50,000 rows; checksum matches the source"), printed);
        assertTrue(printed.contains("task 'shop' STOPPED; target equals the source"), printed);
        assertTrue(printed.contains("Demo warehouse: Incremental Merge of "), printed);
        assertTrue(printed.contains("Demo warehouse: Full Data Backfill of "), printed);
        assertTrue(printed.contains("Demo warehouse: partitions equal the source"), printed);
    }

    @Test
    void theTaskDemoSyncsAWholeDatabaseThroughAnEditWhileAnApplicationWrites() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"demo", "task", "--rows", "5000"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8) + printed);
        assertTrue(printed.contains("Edit adds 'reviews' while the task runs"), printed);
        assertTrue(printed.contains("Task 'shop' version 2: RUNNING"), printed);
        for (String table : List.of("customers", "products", "orders", "reviews")) {
            assertTrue(printed.contains("shop." + table), printed);
        }
        assertTrue(printed.contains("task 'shop' STOPPED; target equals the source"), printed);
    }

    @Test
    void demoRejectsUnknownArguments() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"demo", "extra"}, System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("demo does not take " + List.of("extra")));
    }
}
