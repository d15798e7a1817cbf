package dev.ferry.connector.duckdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.Target;
import dev.ferry.api.TargetWriter;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.SyncException;
import dev.ferry.connector.jdbc.Dialect;
import dev.ferry.connector.jdbc.JdbcConnectorFactory;
import dev.ferry.connector.jdbc.testing.JdbcTargetContract;
import dev.ferry.connector.jdbc.testing.TestDatabase;
import dev.ferry.engine.testing.RecordingContext;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The target contract on a DuckDB file, inserting through the appender; {@link DuckDbStatementTargetTest}
 * runs it again with batched INSERT statements. DuckDB cannot set single refused rows aside (no
 * savepoints, a failed statement aborts the transaction), so the contract's dirty-row test is
 * replaced by what DuckDB does instead.
 */
class DuckDbTargetTest extends JdbcTargetContract {

    @TempDir
    static Path dir;

    @Override
    protected TestDatabase database() {
        return DuckDbFiles.file(dir, "target");
    }

    @Override
    protected JdbcConnectorFactory connector() {
        return new DuckDbConnector();
    }

    @Override
    protected Dialect dialect() {
        return new DuckDbDialect();
    }

    @Override
    protected List<Pattern> dirtyReasons() {
        return List.of();
    }

    @Override
    @Test
    @Disabled("DuckDB has no savepoints: a refused row fails the split, see refusedRowFailsTheSplitWithDuckDbsReason")
    protected void rowsTheDatabaseRejectsAreDirtyWithItsReasonAndTheOthersAreWritten() {
    }

    @Override
    @Test
    @Disabled("an embedded DuckDB has no sessions to kill")
    protected void killedConnectionIsRetriableAndTheRetriedSplitHasNoDuplicatesOrGaps() {
    }

    @Override
    @Test
    @Disabled("an embedded DuckDB has no sessions to kill")
    protected void killedConnectionAtCommitIsRetriable() {
    }

    @Test
    void refusedRowFailsTheSplitWithDuckDbsReasonAndLeavesNothingOfIt() {
        String name = TestDatabase.uniqueName("refused");
        String quoted = createTable(name, "id BIGINT NOT NULL PRIMARY KEY, name VARCHAR NOT NULL, age BIGINT");
        database().execute("INSERT INTO " + quoted + " VALUES (7, 'existing', 1)");
        RecordingContext context = new RecordingContext("contract", 1);
        try (Target target = target("table", name, "batchSize", 2)) {
            target.prepare(context, PEOPLE);
            try (TargetWriter writer = target.createWriter(context)) {
                writer.startSplit(split("s1"));
                writer.write(batch(PEOPLE, rows(new Object[] {1L, "a", 1L}, new Object[] {2L, "b", 2L})));
                SyncException error = assertThrows(SyncException.class,
                        () -> writer.write(batch(PEOPLE, rows(new Object[] {3L, "c", 3L}, new Object[] {7L, "dup", 7L}))));
                assertTrue(error.getMessage().contains("writing split s1 into " + name)
                        && error.getMessage().contains("Duplicate key \"id: 7\""), error.getMessage());
                writer.abortSplit();
            }
        }
        assertEquals(List.of(List.of(7L, "existing", 1L)), tableRows(quoted, "id, name, age"));
        assertTrue(context.dirty().isEmpty(), context.dirty().toString());
    }

    @Test
    void nullInANotNullColumnFailsTheSplitNamingTheColumn() {
        String name = TestDatabase.uniqueName("notnull");
        String quoted = createTable(name, "id BIGINT NOT NULL PRIMARY KEY, name VARCHAR NOT NULL, age BIGINT");
        RecordingContext context = new RecordingContext("contract", 1);
        try (Target target = target("table", name)) {
            target.prepare(context, PEOPLE);
            try (TargetWriter writer = target.createWriter(context)) {
                writer.startSplit(split("s1"));
                SyncException error = assertThrows(SyncException.class,
                        () -> writer.write(batch(PEOPLE, rows(new Object[] {1L, "a", 1L}, new Object[] {2L, null, 2L}))));
                assertTrue(error.getMessage().contains("NOT NULL constraint failed: " + name + ".\"name\""), error.getMessage());
                writer.abortSplit();
            }
        }
        assertEquals(List.of(), tableRows(quoted, "id"));
    }

    @Test
    void writesIntoColumnsOfAnotherOrderAndLeavesTheOthersToTheirDefaults() {
        String name = TestDatabase.uniqueName("partial");
        String quoted = createTable(name, "note VARCHAR DEFAULT 'none', age BIGINT, id BIGINT NOT NULL PRIMARY KEY, "
                + "name VARCHAR, extra INTEGER");
        try (Target target = target("table", name)) {
            writeSplit(target, PEOPLE, List.of(rows(new Object[] {1L, "a", 10L}, new Object[] {2L, null, null})));
        }
        assertEquals(List.of(java.util.Arrays.asList(1L, "a", 10L, "none", null),
                java.util.Arrays.asList(2L, null, null, "none", null)), tableRows(quoted, "id, name, age, note, extra"));
    }

    @Test
    void valuesOutOfTheTargetsRangeAreDirtyBeforeAnythingIsSent() {
        String name = TestDatabase.uniqueName("ranges");
        String quoted = createTable(name, "id BIGINT NOT NULL PRIMARY KEY, small SMALLINT, amount DECIMAL(5,2)");
        TableSchema schema = TableSchema.of("src", List.of(Column.of("id", DataType.INT64), Column.of("small", DataType.INT64),
                new Column("amount", DataType.DECIMAL, true, 10, 3, "")));
        RecordingContext context;
        try (Target target = target("table", name)) {
            context = writeSplit(target, schema, List.of(rows(
                    new Object[] {1L, 32_767L, new java.math.BigDecimal("999.994")},
                    new Object[] {2L, 32_768L, new java.math.BigDecimal("1.000")},
                    new Object[] {3L, -1L, new java.math.BigDecimal("999.995")},
                    new Object[] {4L, null, null})));
        }
        List<List<Object>> stored = tableRows(quoted, "id, small, amount");
        assertEquals(List.of(1L, 4L), stored.stream().map(r -> r.get(0)).toList());
        assertEquals(0, new java.math.BigDecimal("999.99").compareTo((java.math.BigDecimal) stored.get(0).get(2)));
        if (appender()) {
            assertEquals(2, context.dirty().size(), context.dirty().toString());
            assertTrue(context.dirty().get(0).reason().contains("small: value 32768 is out of range for SMALLINT"),
                    context.dirty().get(0).reason());
            assertTrue(context.dirty().get(1).reason().contains("amount: value 999.995 is out of range for DECIMAL(5,2)"),
                    context.dirty().get(1).reason());
        }
    }

    /** Whether inserts go through the appender in this test class. */
    protected boolean appender() {
        return true;
    }
}
