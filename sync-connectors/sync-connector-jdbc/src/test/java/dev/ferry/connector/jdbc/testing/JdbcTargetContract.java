package dev.ferry.connector.jdbc.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.AttachedTarget;
import dev.ferry.api.PlannedTarget;
import dev.ferry.api.Split;
import dev.ferry.api.Target;
import dev.ferry.api.TargetPlan;
import dev.ferry.api.TargetWriter;
import dev.ferry.api.config.ConnectorConfig;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.RetriableException;
import dev.ferry.api.SupportsSplitLedger;
import dev.ferry.api.SupportsSplitRetry;
import dev.ferry.connector.jdbc.Dialect;
import dev.ferry.connector.jdbc.JdbcSplit;
import dev.ferry.connector.jdbc.JdbcWriter;
import dev.ferry.engine.testing.ListRowBatch;
import dev.ferry.engine.testing.RecordingContext;
import dev.ferry.engine.testing.JavaSerialisation;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What every JDBC target must do, run against each database by a subclass: the three write modes,
 * dirty rows with the database's reason, pre/post SQL, truncation, table creation, hostile
 * identifiers, split retry after a killed connection without duplicates or gaps, and the split
 * ledger a resumed run learns the committed splits from, kept also by writers attached from the
 * target's serialised plan.
 */
public abstract class JdbcTargetContract extends JdbcContract {

    /** Extra target keys every test of this subclass uses (e.g. {@code copy: false}). */
    protected Object[] extraTargetKeys() {
        return new Object[0];
    }

    /** Patterns the database's reasons match: too long, NOT NULL, out of range, bad date. */
    protected abstract List<Pattern> dirtyReasons();

    protected Target target(Object... keysAndValues) {
        return connector().createTarget(targetConfig(keysAndValues));
    }

    /** The target block of the database with these keys and {@link #extraTargetKeys}. */
    protected ConnectorConfig targetConfig(Object... keysAndValues) {
        Object[] extra = extraTargetKeys();
        Object[] all = Arrays.copyOf(keysAndValues, keysAndValues.length + extra.length);
        System.arraycopy(extra, 0, all, keysAndValues.length, extra.length);
        return MapConfig.target(connector(), database().options(all));
    }

    protected static final TableSchema PEOPLE = TableSchema.of("people", List.of(
            Column.of("id", DataType.INT64), Column.of("name", DataType.STRING), Column.of("age", DataType.INT64)));

    protected String peopleTable() {
        String name = TestDatabase.uniqueName("people");
        createTable(name, "id BIGINT NOT NULL PRIMARY KEY, name VARCHAR(20), age BIGINT");
        return name;
    }

    protected static List<Object[]> rows(Object[]... rows) {
        return List.of(rows);
    }

    protected static ListRowBatch batch(TableSchema schema, List<Object[]> rows) {
        return new ListRowBatch(schema, rows);
    }

    protected static Split split(String id) {
        return new JdbcSplit.Whole(id);
    }

    /** Writes the batches as one split through one writer and commits it. */
    protected static RecordingContext writeSplit(Target target, TableSchema schema, List<List<Object[]>> batches) {
        RecordingContext context = new RecordingContext("contract", 1);
        target.prepare(context, schema);
        try (TargetWriter writer = target.createWriter(context)) {
            writer.startSplit(split("s1"));
            for (List<Object[]> rows : batches) {
                writer.write(batch(schema, rows));
            }
            writer.finishSplit();
        }
        target.commit();
        target.post();
        return context;
    }

    /** The table's rows ordered by the first column, each as a list of column values. */
    protected List<List<Object>> tableRows(String quotedTable, String columns) {
        List<List<Object>> result = new ArrayList<>();
        try (Connection connection = database().connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT " + columns + " FROM " + quotedTable + " ORDER BY 1")) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    Object value = rs.getObject(i);
                    row.add(value instanceof Number number && !(value instanceof java.math.BigDecimal) ? number.longValue() : value);
                }
                result.add(row);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return result;
    }

    @Test
    void insertWritesEveryRowAcrossBatches() {
        String name = peopleTable();
        List<Object[]> rows = new ArrayList<>();
        for (long i = 1; i <= 25; i++) {
            rows.add(new Object[] {i, "name\t" + i + "\\N\n\r'\"", i % 7 == 0 ? null : i});
        }
        try (Target target = target("table", name, "batchSize", 4)) {
            assertTrue(target instanceof SupportsSplitRetry);
            RecordingContext context = writeSplit(target, PEOPLE, List.of(rows.subList(0, 10), rows.subList(10, 25)));
            assertTrue(context.dirty().isEmpty(), context.dirty().toString());
        }
        List<List<Object>> stored = tableRows(dialect().sql().quoteIdentifier(name), "id, name, age");
        assertEquals(25, stored.size());
        assertEquals(List.of(3L, "name\t3\\N\n\r'\"", 3L), stored.get(2));
        assertEquals(Arrays.asList(7L, "name\t7\\N\n\r'\"", null), stored.get(6));
    }

    @Test
    void upsertInsertsNewRowsAndUpdatesExistingOnes() {
        String name = peopleTable();
        String quoted = dialect().sql().quoteIdentifier(name);
        database().execute("INSERT INTO " + quoted + " VALUES (1, 'one', 1), (2, 'two', 2)");
        try (Target target = target("table", name, "writeMode", "upsert")) {
            writeSplit(target, PEOPLE, List.of(rows(new Object[] {2L, "TWO", 22L}, new Object[] {3L, "three", 3L})));
        }
        assertEquals(List.of(List.of(1L, "one", 1L), List.of(2L, "TWO", 22L), List.of(3L, "three", 3L)),
                tableRows(quoted, "id, name, age"));
    }

    @Test
    void updateChangesRowsByPrimaryKeyAndInsertsNothing() {
        String name = peopleTable();
        String quoted = dialect().sql().quoteIdentifier(name);
        database().execute("INSERT INTO " + quoted + " VALUES (1, 'one', 1), (2, 'two', 2)");
        try (Target target = target("table", name, "writeMode", "update")) {
            writeSplit(target, PEOPLE, List.of(rows(new Object[] {2L, "TWO", 22L}, new Object[] {99L, "ghost", 9L})));
        }
        assertEquals(List.of(List.of(1L, "one", 1L), List.of(2L, "TWO", 22L)), tableRows(quoted, "id, name, age"));
    }

    @Test
    void upsertWithoutKeyIsAConfigurationError() {
        String name = TestDatabase.uniqueName("nokey");
        createTable(name, "id BIGINT, name VARCHAR(20), age BIGINT");
        try (Target target = target("table", name, "writeMode", "upsert")) {
            ConfigException error = assertThrows(ConfigException.class,
                    () -> target.prepare(new RecordingContext("contract", 1), PEOPLE));
            assertTrue(error.getMessage().contains("target.keyColumns"), error.getMessage());
        }
        try (Target target = target("table", name, "writeMode", "upsert", "keyColumns", List.of("ID"))) {
            target.prepare(new RecordingContext("contract", 1), PEOPLE);
            assertEquals(List.of("id"), ((dev.ferry.connector.jdbc.JdbcTarget) target).plan().keyColumns().stream()
                    .map(n -> n.toLowerCase(java.util.Locale.ROOT)).toList());
        }
    }

    @Test
    protected void rowsTheDatabaseRejectsAreDirtyWithItsReasonAndTheOthersAreWritten() {
        String name = TestDatabase.uniqueName("dirty");
        String quoted = createTable(name, "id BIGINT NOT NULL PRIMARY KEY, name VARCHAR(5) NOT NULL, small SMALLINT, d DATE");
        TableSchema schema = TableSchema.of("src", List.of(Column.of("id", DataType.INT64), Column.of("name", DataType.STRING),
                Column.of("small", DataType.INT64), Column.of("d", DataType.STRING)));
        List<Object[]> rows = List.of(
                new Object[] {1L, "ok", 1L, "2024-02-29"},
                new Object[] {2L, "much too long", 2L, "2024-01-01"},
                new Object[] {3L, null, 3L, "2024-01-01"},
                new Object[] {4L, "big", 100_000L, "2024-01-01"},
                new Object[] {5L, "date", 5L, "2023-02-30"},
                new Object[] {6L, "fine", null, null});
        RecordingContext context;
        try (Target target = target("table", name)) {
            context = writeSplit(target, schema, List.of(rows));
        }
        assertEquals(List.of(1L, 6L), tableRows(quoted, "id").stream().map(r -> r.get(0)).toList());
        assertEquals(4, context.dirty().size(), context.dirty().toString());
        List<Pattern> reasons = dirtyReasons();
        for (int i = 0; i < 4; i++) {
            RecordingContext.DirtyRow dirty = context.dirty().get(i);
            assertEquals((long) (i + 2), dirtyId(dirty), "dirty rows in order");
            assertTrue(reasons.get(i).matcher(dirty.reason()).find(), "reason of row " + (i + 2) + " should match "
                    + reasons.get(i) + ": " + dirty.reason());
        }
    }

    /**
     * The first column of a dirty row, an integer id: from its values, or from the text form a
     * writer rendered from encoded values ({@code {"id": 2, …}} or {@code {"id": "2", …}}).
     */
    protected static long dirtyId(RecordingContext.DirtyRow dirty) {
        if (dirty.record() == null) {
            return (Long) dirty.values().get(0);
        }
        java.util.regex.Matcher id = Pattern.compile("^\\{\"[^\"]+\": \"?(-?\\d+)").matcher(dirty.record());
        assertTrue(id.find(), "a dirty record's text form starts with its id: " + dirty.record());
        return Long.parseLong(id.group(1));
    }

    @Test
    void preSqlRunsInPrepareAndPostSqlInPost() {
        String name = peopleTable();
        String quoted = dialect().sql().quoteIdentifier(name);
        try (Target target = target("table", name, "preSql", List.of("INSERT INTO " + quoted + " VALUES (100, 'pre', 0)"),
                "postSql", "INSERT INTO " + quoted + " VALUES (200, 'post;x', 0); INSERT INTO " + quoted + " VALUES (201, 'post2', 0)")) {
            RecordingContext context = new RecordingContext("contract", 1);
            target.prepare(context, PEOPLE);
            assertEquals(List.of(List.of(100L)), tableRows(quoted, "id"), "preSql ran once in prepare");
            try (TargetWriter writer = target.createWriter(context)) {
                writer.startSplit(split("s"));
                writer.write(batch(PEOPLE, rows(new Object[] {1L, "a", 1L})));
                writer.finishSplit();
            }
            target.commit();
            assertEquals(2, tableRows(quoted, "id").size(), "postSql has not run before post()");
            target.post();
        }
        assertEquals(List.of(1L, 100L, 200L, 201L), tableRows(quoted, "id").stream().map(r -> r.get(0)).toList());
    }

    @Test
    void truncateBeforeWriteDeletesExistingRows() {
        String name = peopleTable();
        String quoted = dialect().sql().quoteIdentifier(name);
        database().execute("INSERT INTO " + quoted + " VALUES (1, 'old', 1), (2, 'old', 2)");
        try (Target target = target("table", name, "truncateBeforeWrite", true)) {
            writeSplit(target, PEOPLE, List.of(rows(new Object[] {2L, "new", 2L})));
        }
        assertEquals(List.of(List.of(2L, "new", 2L)), tableRows(quoted, "id, name, age"));
    }

    @Test
    void createTableBuildsTheTableFromTheSourceSchema() {
        String name = TestDatabase.uniqueName("created");
        tables.add(dialect().sql().quoteIdentifier(name));
        TableSchema schema = new TableSchema("src", List.of(new Column("id", DataType.INT64, false, 0, 0, ""),
                new Column("label", DataType.STRING, true, 30, 0, ""), new Column("amount", DataType.DECIMAL, true, 12, 2, "")),
                List.of("id"));
        try (Target target = target("table", name, "createTable", true, "writeMode", "upsert")) {
            writeSplit(target, schema, List.of(rows(new Object[] {1L, "a", new java.math.BigDecimal("12.50")})));
        }
        Dialect d = dialect();
        List<List<Object>> stored = tableRows(d.sql().quoteIdentifier(name), d.sql().quoteIdentifier("id") + ", "
                + d.sql().quoteIdentifier("label") + ", " + d.sql().quoteIdentifier("amount"));
        assertEquals(1L, stored.get(0).get(0));
        assertEquals(0, new java.math.BigDecimal("12.50").compareTo((java.math.BigDecimal) stored.get(0).get(2)));
    }

    @Test
    void hostileIdentifiersAreQuotedNotExecuted() {
        String canary = TestDatabase.uniqueName("canary");
        createTable(canary, "id BIGINT");
        String name = "Ord\"ers; DROP TABLE " + canary + " --";
        Dialect d = dialect();
        String quoted = createTable(name, d.sql().quoteIdentifier("select") + " BIGINT NOT NULL PRIMARY KEY, "
                + d.sql().quoteIdentifier("my col") + " VARCHAR(20), " + d.sql().quoteIdentifier("Quo\"te`d") + " VARCHAR(20)");
        TableSchema schema = TableSchema.of("src", List.of(Column.of("select", DataType.INT64),
                Column.of("my col", DataType.STRING), Column.of("Quo\"te`d", DataType.STRING)));
        for (String mode : List.of("insert", "upsert", "update")) {
            try (Target target = target("table", name, "writeMode", mode)) {
                writeSplit(target, schema, List.of(rows(new Object[] {1L, mode, "x"})));
            }
        }
        assertEquals(List.of(List.of(1L, "update", "x")), tableRows(quoted, "*"));
        assertEquals(0, database().queryLong("SELECT COUNT(*) FROM " + d.sql().quoteIdentifier(canary)), "canary table survived");
    }

    @Test
    void theSplitLedgerCommitsWithItsSplitAndAResumedRunKeepsTheRowsWritten() {
        String name = peopleTable();
        String quoted = dialect().sql().quoteIdentifier(name);
        String ledger = UUID.randomUUID().toString();
        ledgers.add(ledger);
        RecordingContext context = new RecordingContext("contract", 1);
        try (Target target = target("table", name, "truncateBeforeWrite", true)) {
            SupportsSplitLedger kept = (SupportsSplitLedger) target;
            kept.keepSplitLedger(ledger, false);
            target.prepare(context, PEOPLE);
            try (TargetWriter writer = target.createWriter(context)) {
                writer.startSplit(split("s1"));
                writer.write(batch(PEOPLE, rows(new Object[] {1L, "a", 1L}, new Object[] {2L, "b", 2L})));
                writer.finishSplit();
                writer.startSplit(split("s2"));
                writer.write(batch(PEOPLE, rows(new Object[] {3L, "c", 3L})));
                writer.abortSplit();
            }
            assertEquals(Map.of("s1", 2L), kept.committedSplits(), "the aborted split took its ledger row along");
        }
        try (Target target = target("table", name, "truncateBeforeWrite", true)) {
            SupportsSplitLedger kept = (SupportsSplitLedger) target;
            kept.keepSplitLedger(ledger, true);
            target.prepare(context, PEOPLE);
            assertEquals(List.of(1L, 2L), tableRows(quoted, "id").stream().map(r -> r.get(0)).toList(),
                    "a resumed run does not delete the rows again");
            assertEquals(Map.of("s1", 2L), kept.committedSplits());
            try (TargetWriter writer = target.createWriter(context)) {
                writer.startSplit(split("s2"));
                writer.write(batch(PEOPLE, rows(new Object[] {3L, "c", 3L})));
                writer.finishSplit();
            }
            assertEquals(Map.of("s1", 2L, "s2", 1L), kept.committedSplits());
            try (TargetWriter writer = target.createWriter(context)) {
                writer.startSplit(split("s2"));
                writer.write(batch(PEOPLE, rows(new Object[] {4L, "d", 4L})));
                assertThrows(RuntimeException.class, writer::finishSplit,
                        "a split written again under the same ledger (a retry after a commit in doubt) is refused");
                writer.abortSplit();
            }
            kept.dropSplitLedger();
            assertEquals(Map.of(), kept.committedSplits());
        }
        assertEquals(List.of(1L, 2L, 3L), tableRows(quoted, "id").stream().map(r -> r.get(0)).toList());
    }

    @Test
    void writersAttachedFromTheSerialisedPlanRecordTheirSplitsInTheLedger() {
        String name = peopleTable();
        String quoted = dialect().sql().quoteIdentifier(name);
        String ledgerTable = dialect().sql().quoteIdentifier("ferry_split_ledger");
        String ledger = UUID.randomUUID().toString();
        ledgers.add(ledger);
        RecordingContext context = new RecordingContext("contract", 2);
        ConnectorConfig config = targetConfig("table", name);
        try (Target target = connector().createTarget(config)) {
            SupportsSplitLedger kept = (SupportsSplitLedger) target;
            kept.keepSplitLedger(ledger, false);
            target.prepare(context, PEOPLE);
            TargetPlan plan = JavaSerialisation.roundTrip(((PlannedTarget) target).targetPlan());
            try (AttachedTarget attached = connector().attachTarget(config, plan, context);
                 TargetWriter first = attached.createWriter(context); TargetWriter second = attached.createWriter(context)) {
                first.startSplit(split("s1"));
                first.write(batch(PEOPLE, rows(new Object[] {1L, "a", 1L}, new Object[] {2L, "b", 2L})));
                first.finishSplit();
                second.startSplit(split("s2"));
                second.write(batch(PEOPLE, rows(new Object[] {3L, "c", 3L})));
                second.finishSplit();
                first.startSplit(split("s3"));
                first.write(batch(PEOPLE, rows(new Object[] {4L, "d", 4L})));
                first.abortSplit();
            }
            assertEquals(Map.of("s1", 2L, "s2", 1L), kept.committedSplits(),
                    "each split committed by an attached writer, with the records it wrote, and not the aborted one");
            kept.dropSplitLedger();
        }
        assertEquals(List.of(1L, 2L, 3L), tableRows(quoted, "id").stream().map(r -> r.get(0)).toList());

        String unrecorded = UUID.randomUUID().toString();
        ConnectorConfig withoutLedger = targetConfig("table", name);
        try (Target target = connector().createTarget(withoutLedger)) {
            target.prepare(context, PEOPLE);
            TargetPlan plan = JavaSerialisation.roundTrip(((PlannedTarget) target).targetPlan());
            try (AttachedTarget attached = connector().attachTarget(withoutLedger, plan, context);
                 TargetWriter writer = attached.createWriter(context)) {
                writer.startSplit(split(unrecorded));
                writer.write(batch(PEOPLE, rows(new Object[] {5L, "e", 5L})));
                writer.finishSplit();
            }
        }
        assertEquals(List.of(1L, 2L, 3L, 5L), tableRows(quoted, "id").stream().map(r -> r.get(0)).toList());
        assertEquals(0, database().queryLong("SELECT COUNT(*) FROM " + ledgerTable + " WHERE "
                + dialect().sql().quoteIdentifier("split_id") + " = '" + unrecorded + "'"),
                "writers attached from a plan without a ledger record nothing");
    }

    @Test
    void abortedSplitLeavesNothingBehind() {
        String name = peopleTable();
        String quoted = dialect().sql().quoteIdentifier(name);
        RecordingContext context = new RecordingContext("contract", 1);
        try (Target target = target("table", name)) {
            target.prepare(context, PEOPLE);
            try (TargetWriter writer = target.createWriter(context)) {
                writer.startSplit(split("s1"));
                writer.write(batch(PEOPLE, rows(new Object[] {1L, "a", 1L}, new Object[] {2L, "b", 2L})));
                writer.abortSplit();
                writer.startSplit(split("s1"));
                writer.write(batch(PEOPLE, rows(new Object[] {1L, "a", 1L}, new Object[] {2L, "b", 2L})));
                writer.finishSplit();
            }
        }
        assertEquals(List.of(1L, 2L), tableRows(quoted, "id").stream().map(r -> r.get(0)).toList());
    }

    @Test
    protected void killedConnectionIsRetriableAndTheRetriedSplitHasNoDuplicatesOrGaps() throws Exception {
        String name = peopleTable();
        String quoted = dialect().sql().quoteIdentifier(name);
        List<Object[]> first = new ArrayList<>();
        List<Object[]> second = new ArrayList<>();
        for (long i = 1; i <= 200; i++) {
            (i <= 100 ? first : second).add(new Object[] {i, "n" + i, i});
        }
        RecordingContext context = new RecordingContext("contract", 2);
        try (Target target = target("table", name, "batchSize", 30)) {
            target.prepare(context, PEOPLE);
            // A committed split before the failure stays.
            try (TargetWriter writer = target.createWriter(context)) {
                writer.startSplit(split("s0"));
                writer.write(batch(PEOPLE, rows(new Object[] {1000L, "before", 0L})));
                writer.finishSplit();

                writer.startSplit(split("s1"));
                writer.write(batch(PEOPLE, first));
                long session = ((JdbcWriter) writer).serverSessionId();
                database().execute(dialect().killSessionSql(session));
                Thread.sleep(200);
                // A loader that holds rows back (PostgreSQL's open COPY) may learn it only at the split's end.
                assertThrows(RetriableException.class, () -> {
                    writer.write(batch(PEOPLE, second));
                    writer.finishSplit();
                });
                writer.abortSplit();
            }
            // The engine's retry: a new writer attempt writes the whole split again.
            try (TargetWriter writer = target.createWriter(context)) {
                writer.startSplit(split("s1"));
                writer.write(batch(PEOPLE, first));
                writer.write(batch(PEOPLE, second));
                writer.finishSplit();
            }
        }
        List<Object> ids = tableRows(quoted, "id").stream().map(r -> r.get(0)).toList();
        assertEquals(201, ids.size());
        for (int i = 0; i < 200; i++) {
            assertEquals((long) (i + 1), ids.get(i));
        }
        assertEquals(1000L, ids.get(200));
    }

    @Test
    protected void killedConnectionAtCommitIsRetriable() throws Exception {
        String name = peopleTable();
        RecordingContext context = new RecordingContext("contract", 1);
        try (Target target = target("table", name)) {
            target.prepare(context, PEOPLE);
            try (TargetWriter writer = target.createWriter(context)) {
                writer.startSplit(split("s1"));
                writer.write(batch(PEOPLE, rows(new Object[] {1L, "a", 1L})));
                database().execute(dialect().killSessionSql(((JdbcWriter) writer).serverSessionId()));
                Thread.sleep(200);
                assertThrows(RetriableException.class, writer::finishSplit);
                writer.abortSplit();
                writer.startSplit(split("s1"));
                writer.write(batch(PEOPLE, rows(new Object[] {1L, "a", 1L})));
                writer.finishSplit();
            }
        }
        assertEquals(1, tableRows(dialect().sql().quoteIdentifier(name), "id").size());
    }
}
