package dev.ferry.connector.jdbc.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.job.JobStatus;
import dev.ferry.engine.JobHandle;
import dev.ferry.engine.SyncEngine;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Sharded tables for change-capture tests, in SQL that PostgreSQL and MariaDB both take: shards
 * {@code orders_0}..{@code orders_2} in a schema of their own (a database on MariaDB), 100 rows
 * each with disjoint ids ({@code shard * 1000 + 1..100}), a decoy {@code orders_x} whose ids
 * overlap shard 0's and which a rule for {@value #REGEX} must leave out, and an empty target schema
 * for the merged table {@value #MERGED}. {@link #stream} runs a stream job over them and checks
 * the merged table against the union of the shards. Closing drops both schemas.
 *
 * @param source       where the shards are
 * @param schema       the shards' schema
 * @param target       where the merged table goes
 * @param targetSchema the merged table's schema
 */
public record ShardedTables(TestDatabase source, String schema, TestDatabase target, String targetSchema)
        implements AutoCloseable {

    /** The regular expression that selects the shards and not the decoy. */
    public static final String REGEX = "orders_[0-9]+";
    /** The target table of the shards. */
    public static final String MERGED = "orders_all";
    private static final List<String> TABLES = List.of("orders_0", "orders_1", "orders_2", "orders_x");

    /** Creates a new schema (name from {@code prefix}) with the shards and the decoy, and the target schema. */
    public static ShardedTables create(TestDatabase source, TestDatabase target, String prefix) {
        String schema = TestDatabase.uniqueName(prefix);
        ShardedTables shards = new ShardedTables(source, schema, target, schema + "_t");
        source.execute("CREATE SCHEMA " + schema);
        target.execute("CREATE SCHEMA " + shards.targetSchema());
        for (String table : TABLES) {
            int shard = table.equals("orders_x") ? 0 : table.charAt(7) - '0';
            source.execute("CREATE TABLE " + schema + "." + table + " (id BIGINT PRIMARY KEY, amount DECIMAL(10,2), "
                    + "note VARCHAR(50))", shards.insert(table, shard * 1000 + 1, shard * 1000 + 100));
        }
        return shards;
    }

    private String insert(String table, int from, int to) {
        StringBuilder insert = new StringBuilder("INSERT INTO " + schema + "." + table + " VALUES ");
        for (int id = from; id <= to; id++) {
            insert.append(id == from ? "" : ", ").append("(").append(id).append(", ").append(id % 1000).append(".5, '")
                    .append(table).append("')");
        }
        return insert.toString();
    }

    /** The entry that selects the shards in their schema: {@code schema./orders_[0-9]+/}. */
    public String rule() {
        return schema + "./" + REGEX + "/";
    }

    /** The entry that selects the shards in the connection's own schema: {@code ~./orders_[0-9]+/}. */
    public static String ownSchemaRule() {
        return "~./" + REGEX + "/";
    }

    /** The merged table, qualified. */
    public String merged() {
        return targetSchema + "." + MERGED;
    }

    /**
     * The target block: the tables {@code rule} selects mapped to the merged table, any other table
     * to the target schema (where a decoy that got through would show).
     */
    public Map<String, Object> targetOptions(String rule) {
        return target.options("tableMapping", List.of(rule + "=" + merged()), "schema", targetSchema);
    }

    /** A query over the rows of all shards, in parentheses, to be given an alias. */
    private String union() {
        return "(SELECT * FROM " + schema + ".orders_0 UNION ALL SELECT * FROM " + schema + ".orders_1 UNION ALL SELECT * "
                + "FROM " + schema + ".orders_2)";
    }

    /**
     * On every shard: 30 inserts, updates, deletes, and a transaction that updates one row and
     * deletes another; and an insert and an update of the decoy.
     */
    public void writeChanges() {
        for (int shard = 0; shard < 3; shard++) {
            String table = schema + ".orders_" + shard;
            source.execute(insert("orders_" + shard, shard * 1000 + 101, shard * 1000 + 130),
                    "UPDATE " + table + " SET amount = amount + 1, note = 'updated' WHERE id % 3 = 0",
                    "DELETE FROM " + table + " WHERE id % 7 = 0",
                    "BEGIN", "UPDATE " + table + " SET note = 'tx' WHERE id = " + (shard * 1000 + 1),
                    "DELETE FROM " + table + " WHERE id = " + (shard * 1000 + 2), "COMMIT",
                    "INSERT INTO " + schema + ".orders_x VALUES (" + (5000 + shard) + ", 1, 'decoy')",
                    "UPDATE " + schema + ".orders_x SET note = 'decoy' WHERE id = " + (shard + 4));
        }
    }

    /**
     * Runs a stream job over the shards until the merged table equals their union, writes
     * {@link #writeChanges} and waits for them too, stops the job, and checks that it copied the
     * shards only and that the target schema holds nothing but the merged table.
     *
     * @param whenReading waits until the stream reads the source's log, where the source can tell
     *                    (PostgreSQL: its slot is active); changes written before may come with the copy
     */
    public JobReport stream(SyncEngine engine, JobSpec spec, Runnable whenReading) {
        JobHandle handle = engine.submit(spec);
        whenReading.run();
        awaitMerged(handle);
        writeChanges();
        awaitMerged(handle);
        handle.stop();
        JobReport report = handle.await();
        assertEquals(JobStatus.STOPPED, report.status(), report.error());
        assertEquals(300, report.stream().snapshotRows(), "the snapshot copied the three shards only");
        assertTrue(report.stream().inserts() >= 90 && report.stream().updates() > 0 && report.stream().deletes() > 0,
                "the changes came through the log: " + report.stream());
        assertEquals(0L, target.queryLong("SELECT count(*) FROM information_schema.tables WHERE table_schema = '"
                + targetSchema + "' AND table_name <> '" + MERGED + "'"), "only the merged table is in the target");
        return report;
    }

    private void awaitMerged(JobHandle handle) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            List<String> expected = source.rows("SELECT id, amount, note FROM " + union() + " u ORDER BY id");
            List<String> actual = target.rows("SELECT id, amount, note FROM " + merged() + " ORDER BY id");
            if (expected.equals(actual)) {
                return;
            }
            if (handle.status().isTerminal()) {
                fail("the stream ended before converging: " + handle.await().error());
            }
            if (System.nanoTime() > deadline) {
                assertEquals(expected, actual, "the merged table is the union of the shards");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    @Override
    public void close() {
        for (String table : TABLES) {
            source.execute("DROP TABLE IF EXISTS " + schema + "." + table);
            target.execute("DROP TABLE IF EXISTS " + targetSchema + "." + table);
        }
        target.execute("DROP TABLE IF EXISTS " + merged());
        source.execute("DROP SCHEMA IF EXISTS " + schema);
        target.execute("DROP SCHEMA IF EXISTS " + targetSchema);
    }
}
