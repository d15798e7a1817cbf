package dev.ferry.connector.jdbc.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.Target;
import dev.ferry.api.TargetWriter;
import dev.ferry.api.change.CapturedTable;
import dev.ferry.api.change.ChangeKind;
import dev.ferry.api.change.ChangeWriter;
import dev.ferry.api.change.TableId;
import dev.ferry.api.change.TableMapping;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.connector.jdbc.Dialect;
import dev.ferry.connector.jdbc.JdbcChangeTargetConfig;
import dev.ferry.connector.jdbc.JdbcSplit;
import dev.ferry.connector.jdbc.PartitionedChangeTarget;
import dev.ferry.engine.config.ConnectorConfigs;
import dev.ferry.engine.testing.ListRowBatch;
import dev.ferry.engine.testing.RecordingContext;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every partitioned JDBC change target does, run against each database that can keep
 * partitions: the layout {@code prepare} makes, the change log streaming writes, partition writes
 * that replace a date atomically and resume, and merges. The Business-Date zone is Asia/Shanghai,
 * eight hours ahead of UTC, so that a change's date differs from its UTC date.
 */
public abstract class PartitionedTargetContract {

    protected static final LocalDate D0 = LocalDate.of(2024, 1, 1);
    protected static final LocalDate D1 = LocalDate.of(2024, 1, 2);
    /** 2024-01-01 17:00 UTC is 2024-01-02 01:00 in Shanghai: Business Date D1. */
    protected static final Instant LATE_UTC = Instant.parse("2024-01-01T17:00:00Z");
    /** 2023-12-31 20:00 UTC is 2024-01-01 04:00 in Shanghai: Business Date D0. */
    protected static final Instant EARLY_UTC = Instant.parse("2023-12-31T20:00:00Z");

    protected abstract TestDatabase database();

    protected abstract Dialect dialect();

    /** The schema the target tables go to, or null for the connection's default. */
    protected abstract String schema();

    private final String table = TestDatabase.uniqueName("orders");
    private final TableSchema orders = new TableSchema(table, List.of(new Column("id", DataType.INT64, false, 0, 0, ""),
            Column.of("name", DataType.STRING), Column.of("amount", DataType.INT64)), List.of("id"));
    private final TableId source = TableId.parse("shop." + table);

    protected JdbcChangeTargetConfig config(Object... more) {
        Map<String, Object> values = database().options("partitioned", true, "partitionZone", "Asia/Shanghai",
                "partitionDate", "2024-01-01");
        if (schema() != null) {
            values.put("schema", schema());
        }
        for (int i = 0; i < more.length; i += 2) {
            values.put((String) more[i], more[i + 1]);
        }
        return JdbcChangeTargetConfig.from(ConnectorConfigs.validate(dialect().name(), "target",
                JdbcChangeTargetConfig.keys(), values), dialect());
    }

    private PartitionedChangeTarget target(Object... more) {
        return new PartitionedChangeTarget(dialect(), config(more));
    }

    private TableMapping prepare(PartitionedChangeTarget target) {
        return target.prepare(new RecordingContext("partitioned", 1), List.of(new CapturedTable(source, orders))).get(0);
    }

    /** The table's name as SQL, qualified with the test's schema. */
    protected String sqlName(String name) {
        return (schema() == null ? "" : "\"" + schema() + "\".") + "\"" + name + "\"";
    }

    private List<String> partition(LocalDate date) {
        return database().rows("SELECT id, name, amount FROM " + sqlName(table) + " WHERE ds = '"
                + date.toString().replace("-", "") + "' ORDER BY id");
    }

    private List<String> log() {
        return database().rows("SELECT _ferry_kind, _ferry_position, _ferry_sequence, ds, id, name, amount FROM "
                + sqlName(table + "_log") + " ORDER BY _ferry_position, _ferry_sequence");
    }

    private static Object[] row(long id, String name, Long amount) {
        return new Object[] {id, name, amount};
    }

    private void writePartition(PartitionedChangeTarget target, Target partition, Object[]... rows) {
        RecordingContext context = new RecordingContext("partitioned", 1);
        partition.prepare(context, orders);
        try (TargetWriter writer = partition.createWriter(context)) {
            writer.startSplit(new JdbcSplit.Whole("s1"));
            if (rows.length > 0) {
                writer.write(new ListRowBatch(orders, List.of(rows)));
            }
            writer.finishSplit();
        }
        partition.commit();
        partition.post();
        partition.close();
    }

    private void log(PartitionedChangeTarget target, ListChangeBatch... batches) {
        try (ChangeWriter writer = target.createWriter(new RecordingContext("partitioned", 1))) {
            for (ListChangeBatch batch : batches) {
                writer.write(batch);
            }
            writer.commit();
        }
    }

    private ListChangeBatch changes() {
        return new ListChangeBatch(source, orders);
    }

    /** Prepares a target and writes one row into a partition of each date; returns the base table's name. */
    protected String tableWithPartitionsOf(LocalDate... dates) {
        try (PartitionedChangeTarget target = target()) {
            TableMapping mapping = prepare(target);
            for (LocalDate date : dates) {
                writePartition(target, target.partition(mapping, date), row(date.getDayOfMonth(), "x", 1L));
            }
        }
        return table;
    }

    @Test
    void prepareMakesTheBaseTableAndTheChangeLogAndCanRunAgain() {
        try (PartitionedChangeTarget target = target()) {
            TableMapping mapping = prepare(target);
            assertEquals(sqlName(table).replace("\"", ""), mapping.target().replace("\"", ""));
            assertEquals((schema() == null ? "" : schema() + ".") + table + "_log", target.logTable(mapping));
            assertEquals(D0, target.snapshotDate());
        }
        try (PartitionedChangeTarget target = target()) {
            prepare(target);
        }
        assertEquals(List.of(), partition(D0));
        assertEquals(List.of(), log());
        assertEquals(List.of("0"), database().rows("SELECT COUNT(ds) FROM " + sqlName(table)));
    }

    @Test
    void prepareRefusesTablesWithoutAKeyOrWithTheBusinessDateColumnAndTablesOfAMirroringTarget() {
        try (PartitionedChangeTarget target = target()) {
            TableSchema keyless = new TableSchema(table, orders.columns(), List.of());
            ConfigException e = assertThrows(ConfigException.class, () -> target.prepare(new RecordingContext("p", 1),
                    List.of(new CapturedTable(source, keyless))));
            assertEquals("invalid job: target.partitioned needs tables with a primary key, which merges apply changes by; "
                    + source + " has none, got true", e.getMessage());
            TableSchema dated = new TableSchema(table, List.of(new Column("id", DataType.INT64, false, 0, 0, ""),
                    Column.of("DS", DataType.STRING)), List.of("id"));
            e = assertThrows(ConfigException.class, () -> target.prepare(new RecordingContext("p", 1),
                    List.of(new CapturedTable(source, dated))));
            assertTrue(e.getMessage().startsWith("invalid job: target.partitionColumn must name a column the source "
                    + "tables lack; " + source + " has column 'DS'"), e.getMessage());
        }
        database().execute("CREATE TABLE " + sqlName(table) + " (id BIGINT PRIMARY KEY, name VARCHAR(20), amount BIGINT)");
        try (PartitionedChangeTarget target = target()) {
            ConfigException e = assertThrows(ConfigException.class, () -> prepare(target));
            assertTrue(e.getMessage().contains("has no Business-Date column 'ds' (another kind of target made it)"),
                    e.getMessage());
        }
    }

    @Test
    void streamingLogsEveryChangeWithItsBusinessDateAndAReplayedBatchOnce() {
        try (PartitionedChangeTarget target = target()) {
            prepare(target);
            ListChangeBatch batch = changes()
                    .add(ChangeKind.INSERT, 1, 0, EARLY_UTC, 1L, "a", 10L)
                    .add(ChangeKind.UPDATE_BEFORE, 2, 0, LATE_UTC, 1L, "a", 10L)
                    .add(ChangeKind.UPDATE, 2, 1, LATE_UTC, 1L, "b", 11L)
                    .add(ChangeKind.DELETE, 3, 0, LATE_UTC, 1L, ListChangeBatch.UNCHANGED, ListChangeBatch.UNCHANGED)
                    .add(ChangeKind.INSERT, 3, 1, LATE_UTC, 2L, "key", 20L);
            log(target, batch);
            log(target, batch);
            assertEquals(List.of("I|0000000000000000001|0|20240101|1|a|10", "U|0000000000000000002|1|20240102|1|b|11",
                    "D|0000000000000000003|0|20240102|1|null|null", "I|0000000000000000003|1|20240102|2|key|20"), log());
            assertEquals(List.of(), partition(D0), "streaming never writes the base table");
        }
    }

    @Test
    void anUpdateWithoutAWholeRowIsRefusedNamingReplicaIdentityFull() {
        try (PartitionedChangeTarget target = target()) {
            prepare(target);
            SyncException e = assertThrows(SyncException.class, () -> log(target,
                    changes().add(ChangeKind.UPDATE, 1, 0, LATE_UTC, 1L, ListChangeBatch.UNCHANGED, 5L)));
            assertEquals(ErrorKind.CONFIGURATION, e.kind());
            assertTrue(e.getMessage().contains("column 'name'") && e.getMessage().contains("REPLICA IDENTITY FULL"),
                    e.getMessage());
            assertEquals(List.of(), log());
        }
    }

    @Test
    void aPartitionWriteReplacesItsDateAndLeavesTheOthers() {
        try (PartitionedChangeTarget target = target()) {
            TableMapping mapping = prepare(target);
            assertFalse(target.hasPartition(null, mapping, D0));
            writePartition(target, target.snapshot(mapping), row(1, "a", 1L), row(2, "b", 2L));
            writePartition(target, target.partition(mapping, D1), row(5, "e", 5L));
            assertTrue(target.hasPartition(null, mapping, D0));
            writePartition(target, target.partition(mapping, D0), row(3, "c", 3L));
            assertEquals(List.of("3|c|3"), partition(D0));
            assertEquals(List.of("5|e|5"), partition(D1));
            writePartition(target, target.partition(mapping, D1));
            assertEquals(List.of(), partition(D1), "an empty write leaves an empty partition");
            assertTrue(target.hasPartition(null, mapping, D1));
        }
    }

    @Test
    void aStagedWriteResumedAfterAnAbortKeepsTheSplitsItCommitted() {
        try (PartitionedChangeTarget target = target()) {
            TableMapping mapping = prepare(target);
            writePartition(target, target.partition(mapping, D0), row(9, "old", 9L));
            Target first = target.partition(mapping, D0);
            RecordingContext context = new RecordingContext("partitioned", 1);
            first.prepare(context, orders);
            try (TargetWriter writer = first.createWriter(context)) {
                writer.startSplit(new JdbcSplit.Whole("s1"));
                writer.write(new ListRowBatch(orders, List.of(row(1, "a", 1L), row(2, "b", 2L))));
                writer.finishSplit();
            }
            first.abort();
            first.close();
            assertEquals(List.of("9|old|9"), partition(D0), "an aborted write leaves the partition alone");
            writePartition(target, target.partition(mapping, D0), row(2, "b2", 2L), row(3, "c", 3L));
            assertEquals(List.of("1|a|1", "2|b2|2", "3|c|3"), partition(D0));
        }
    }

    @Test
    void mergesBuildEachDayFromThePreviousAndItsChanges() {
        try (PartitionedChangeTarget target = target()) {
            TableMapping mapping = prepare(target);
            writePartition(target, target.snapshot(mapping), row(1, "a", 1L), row(2, "b", 2L), row(3, "c", 3L));
            log(target, changes()
                    .add(ChangeKind.UPDATE, 1, 0, EARLY_UTC, 2L, "b0", 2L)
                    .add(ChangeKind.DELETE, 1, 1, EARLY_UTC, 3L, null, null)
                    .add(ChangeKind.INSERT, 2, 0, LATE_UTC, 4L, "d", 4L)
                    .add(ChangeKind.DELETE, 3, 0, LATE_UTC, 1L, null, null)
                    .add(ChangeKind.INSERT, 4, 0, LATE_UTC, 1L, "a1", 1L)
                    .add(ChangeKind.DELETE, 5, 0, LATE_UTC, 2L, null, null)
                    .add(ChangeKind.INSERT, 5, 1, LATE_UTC, 20L, "b0", 2L)
                    .add(ChangeKind.UPDATE, 6, 0, LATE_UTC, 4L, "d1", 4L)
                    .add(ChangeKind.UPDATE, 6, 1, LATE_UTC, 20L, "b1", 2L));
            assertEquals(2, target.merge(null, mapping, D0, D0), "the first merge builds on the initialization");
            assertEquals(List.of("1|a|1", "2|b0|2"), partition(D0));
            assertEquals(3, target.merge(null, mapping, D1, D0));
            List<String> d1 = List.of("1|a1|1", "4|d1|4", "20|b1|2");
            assertEquals(d1, partition(D1), "re-inserted, inserted then updated, and a changed key");
            assertEquals(List.of("1|a|1", "2|b0|2"), partition(D0), "the previous day is left alone");
            assertEquals(3, target.merge(null, mapping, D1, D0));
            assertEquals(d1, partition(D1), "merging again gives the same rows");
        }
    }

    @Test
    void aMergeOverAMissingPartitionSaysWhichDateToMergeOrBackfillFirst() {
        try (PartitionedChangeTarget target = target()) {
            TableMapping mapping = prepare(target);
            SyncException e = assertThrows(SyncException.class, () -> target.merge(null, mapping, D1, D0));
            assertEquals(ErrorKind.CONFIGURATION, e.kind());
            assertTrue(e.getMessage().contains("the partition of 2024-01-01 it builds on is missing; merge or backfill "
                    + "2024-01-01 first"), e.getMessage());
            assertFalse(target.hasPartition(null, mapping, D1));
        }
    }

    @Test
    void extraColumnsAreFilledByEveryWriteWithTheirConstantOrTheRowsBusinessDate() {
        Object[] extras = {"constantColumns", List.of("origin=crm"), "businessDateColumns", List.of("biz=yyyy-MM-dd")};
        try (PartitionedChangeTarget target = target(extras)) {
            TableMapping mapping = prepare(target);
            writePartition(target, target.snapshot(mapping), row(1, "a", 1L), row(2, "b", 2L));
            log(target, changes()
                    .add(ChangeKind.UPDATE, 1, 0, LATE_UTC, 1L, "a1", 1L)
                    .add(ChangeKind.INSERT, 1, 1, EARLY_UTC, 3L, "c", 3L));
            target.merge(null, mapping, D1, D0);
        }
        try (PartitionedChangeTarget target = target(extras)) {
            prepare(target); // again, over tables that have the columns
        }
        assertEquals(List.of("1|a|crm|2024-01-01", "2|b|crm|2024-01-01", "1|a1|crm|2024-01-02", "2|b|crm|2024-01-02"),
                database().rows("SELECT id, name, origin, biz FROM " + sqlName(table) + " ORDER BY ds, id"),
                "the copy and the merge fill them with their partition's values");
        assertEquals(List.of("1|crm|2024-01-02", "3|crm|2024-01-01"), database().rows("SELECT id, origin, biz FROM "
                + sqlName(table + "_log") + " ORDER BY _ferry_position, _ferry_sequence"), "the log with each change's");
        ConfigException e = assertThrows(ConfigException.class, () -> config("constantColumns", List.of("ds=x",
                "1bad=y")));
        assertEquals("""
                invalid job (2 problems):
                  - target.constantColumns must name each extra column once, and neither the Business-Date column nor \
                a name starting with _ferry_, got 'ds'
                  - target.constantColumns must be entries "column=value" whose column is a name of letters, digits \
                and '_', got '1bad=y'""", e.getMessage());
    }

    @Test
    void aShardedSourceIsTakenWhereTheDatabaseCanSerialiseItsShardsWrites() {
        boolean serialises = dialect().partitions().orElseThrow()
                .exclusiveLockSql(new dev.ferry.connector.jdbc.TableName(null, table)).isPresent();
        if (serialises) {
            assertEquals("1/2", config("partitionShard", "1/2").partitions().shard().toString());
            assertEquals("1:0000000000000000042", config("partitionShard", "1/2").partitions()
                    .loggedPosition("0000000000000000042"), "positions of two servers never coincide");
        } else {
            ConfigException e = assertThrows(ConfigException.class, () -> config("partitionShard", "1/2"));
            assertTrue(e.getMessage().contains("target.partitionShard cannot be set on " + dialect().name()),
                    e.getMessage());
        }
        ConfigException bad = assertThrows(ConfigException.class, () -> config("partitionShard", "2/2"));
        assertTrue(bad.getMessage().contains("target.partitionShard "), bad.getMessage());
    }

    @Test
    void aLargeBatchIsLoggedInStatementsOfManyRowsAndOnceWhenReplayed() {
        try (PartitionedChangeTarget target = target()) {
            prepare(target);
            ListChangeBatch batch = changes();
            for (int i = 0; i < 600; i++) { // two statements of 256 rows, then 88 rows one by one
                batch.add(i % 3 == 2 ? ChangeKind.DELETE : ChangeKind.INSERT, 10 + i, 0, LATE_UTC, (long) i,
                        i % 3 == 2 ? null : "n" + i, (long) i);
            }
            log(target, batch);
            log(target, batch);
            assertEquals(List.of("600|200|179700"), database().rows("SELECT COUNT(*), SUM(CASE WHEN _ferry_kind = 'D' "
                    + "THEN 1 ELSE 0 END), SUM(id) FROM " + sqlName(table + "_log")));
            assertEquals(List.of("D|0000000000000000012|0|20240102|2|null|null", "I|0000000000000000608|0|20240102|598|n598|598"),
                    database().rows("SELECT _ferry_kind, _ferry_position, _ferry_sequence, ds, id, name, amount FROM "
                            + sqlName(table + "_log") + " WHERE id IN (2, 598) ORDER BY id"));
        }
    }
}
