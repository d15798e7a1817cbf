package dev.ferry.connector.jdbc.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.Source;
import dev.ferry.api.SourceReader;
import dev.ferry.api.Split;
import dev.ferry.api.data.DataType;
import dev.ferry.api.error.CancelledException;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.connector.jdbc.Dialect;
import dev.ferry.connector.jdbc.JdbcSplit;
import dev.ferry.engine.testing.CollectingRecordSink;
import dev.ferry.engine.testing.RecordingContext;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What every JDBC source must do, run against each database by a subclass: split planning
 * (clustered keys balanced by rows, NULL keys, unusable keys, no key, queries, filters), quoting
 * of hostile identifiers, name resolution, cancellation.
 */
public abstract class JdbcSourceContract extends JdbcContract {

    /** A SELECT returning one BIGINT column {@code n} with the values from..to. */
    protected abstract String series(long from, long to);

    /** A query that runs for many seconds and returns one row, or null when the database has none. */
    protected abstract String slowQuery();

    /** A URL of this database's kind pointing at a closed port, with {@code password} as a URL parameter. */
    protected abstract String unreachableUrl(String password);

    protected Source source(Object... keysAndValues) {
        return connector().createSource(MapConfig.source(connector(), database().options(keysAndValues)));
    }

    protected static RecordingContext context(int concurrency) {
        return new RecordingContext("contract", concurrency);
    }

    /** 90,000 rows with keys 1..90,000 and 10,000 rows spread over keys 10^9 .. 10^10. */
    protected String clusteredTable() {
        String name = TestDatabase.uniqueName("clustered");
        String table = createTable(name, "id BIGINT NOT NULL PRIMARY KEY, v VARCHAR(20)");
        database().execute(
                "INSERT INTO " + table + " (id, v) SELECT n, 'dense' FROM (" + series(1, 90_000) + ") s",
                "INSERT INTO " + table + " (id, v) SELECT 1000000000 + n * 900000, 'sparse' FROM (" + series(1, 10_000) + ") s");
        return name;
    }

    @Test
    void clusteredKeysAreSplitByRowsNotByKeySpan() {
        String table = clusteredTable();
        RecordingContext context = context(4);
        try (Source source = source("table", table, "splitPk", "id")) {
            ReadResult result = ReadResult.readAll(source, context);
            assertEquals(100_000, result.total());
            assertTrue(result.splits().size() > 4, "more splits than channels, got " + result.splits().size());
            assertTrue(result.largest() <= 2 * result.mean(), "largest split " + result.largest()
                    + " rows exceeds twice the mean " + result.mean() + ": " + sizes(result));
            Set<Long> ids = new HashSet<>();
            for (Object[] row : result.allRows()) {
                assertTrue(ids.add((Long) row[0]), "row read twice: " + row[0]);
            }
            assertTrue(result.splits().stream().noneMatch(s -> s instanceof JdbcSplit.NullKeys), "no NULL keys, no NULL split");
        }
    }

    @Test
    void explicitSplitCountIsHonoured() {
        String table = clusteredTable();
        try (Source source = source("table", table, "splitPk", "id", "splitCount", 7)) {
            ReadResult result = ReadResult.readAll(source, context(2));
            assertEquals(7, result.splits().size(), sizes(result));
            assertEquals(100_000, result.total());
            assertTrue(result.largest() <= 2 * result.mean(), sizes(result));
        }
    }

    @Test
    void rowsWithNullKeysGetASplitOfTheirOwn() {
        String name = TestDatabase.uniqueName("nullkeys");
        String table = createTable(name, "id BIGINT NOT NULL PRIMARY KEY, k BIGINT");
        database().execute("INSERT INTO " + table + " (id, k) SELECT n, CASE WHEN MOD(n, 10) = 0 THEN NULL ELSE n END FROM ("
                + series(1, 1000) + ") s");
        try (Source source = source("table", name, "splitPk", "k")) {
            ReadResult result = ReadResult.readAll(source, context(2));
            assertEquals(1000, result.total());
            List<Split> nullSplits = result.splits().stream().filter(s -> s instanceof JdbcSplit.NullKeys).toList();
            assertEquals(1, nullSplits.size(), result.splits().toString());
            List<Object[]> nullRows = result.rows().get(nullSplits.get(0).id());
            assertEquals(100, nullRows.size());
            assertTrue(nullRows.stream().allMatch(r -> r[1] == null));
        }
    }

    @Test
    void nonIntegerSplitKeyWarnsAndReadsOneSplit() {
        String name = TestDatabase.uniqueName("strkey");
        String table = createTable(name, "id BIGINT NOT NULL PRIMARY KEY, code VARCHAR(20)");
        database().execute("INSERT INTO " + table + " (id, code) SELECT n, 'c' FROM (" + series(1, 50) + ") s");
        RecordingContext context = context(4);
        try (Source source = source("table", name, "splitPk", "code")) {
            ReadResult result = ReadResult.readAll(source, context);
            assertEquals(1, result.splits().size());
            assertEquals(50, result.total());
            assertEquals(1, context.warnings().size(), context.warnings().toString());
            String warning = context.warnings().get(0).toLowerCase(java.util.Locale.ROOT);
            assertTrue(warning.contains("'code'") && warning.contains("string") && warning.contains("one split"), warning);
        }
    }

    @Test
    void noSplitKeyReadsOneSplit() {
        String name = TestDatabase.uniqueName("nokey");
        String table = createTable(name, "id BIGINT NOT NULL PRIMARY KEY, v VARCHAR(20)");
        database().execute("INSERT INTO " + table + " (id, v) SELECT n, 'x' FROM (" + series(1, 20) + ") s");
        RecordingContext context = context(4);
        try (Source source = source("table", name)) {
            ReadResult result = ReadResult.readAll(source, context);
            assertEquals(1, result.splits().size());
            assertInstanceOf(JdbcSplit.Whole.class, result.splits().get(0));
            assertEquals(20, result.total());
            assertTrue(context.warnings().isEmpty());
            assertEquals(List.of("id"), lower(source.schema().primaryKey()));
        }
    }

    @Test
    void emptyTableStillHasOneSplit() {
        String name = TestDatabase.uniqueName("empty");
        createTable(name, "id BIGINT NOT NULL PRIMARY KEY");
        try (Source source = source("table", name, "splitPk", "id")) {
            ReadResult result = ReadResult.readAll(source, context(4));
            assertEquals(1, result.splits().size());
            assertEquals(0, result.total());
        }
    }

    @Test
    void querySqlReadsOneSplitPerStatementAndIgnoresSplitPk() {
        String name = TestDatabase.uniqueName("query");
        String table = createTable(name, "id BIGINT NOT NULL PRIMARY KEY, v VARCHAR(20)");
        database().execute("INSERT INTO " + table + " (id, v) SELECT n, 'x' FROM (" + series(1, 30) + ") s");
        RecordingContext context = context(4);
        try (Source source = source("querySql", List.of("SELECT id, v FROM " + table + " WHERE id <= 10; SELECT id, v FROM "
                + table + " WHERE id > 10 AND v = 'x;y' OR id > 20", "SELECT id, v FROM " + table + " WHERE id = 15"),
                "splitPk", "id")) {
            ReadResult result = ReadResult.readAll(source, context);
            assertEquals(3, result.splits().size(), result.splits().toString());
            assertEquals(List.of(10, 10, 1), result.rows().values().stream().map(List::size).toList());
            assertTrue(context.warnings().stream().anyMatch(w -> w.contains("splitPk") && w.contains("ignored")),
                    context.warnings().toString());
            assertEquals(DataType.INT64, source.schema().column(0).type());
        }
    }

    @Test
    void whereFiltersEverySplit() {
        String table = clusteredTable();
        try (Source source = source("table", table, "splitPk", "id", "where", "v = 'sparse' OR id <= 100")) {
            ReadResult result = ReadResult.readAll(source, context(2));
            assertEquals(10_100, result.total());
            assertTrue(result.largest() <= 2 * result.mean(), sizes(result));
        }
    }

    @Test
    void columnsSelectsAndOrdersColumns() {
        String name = TestDatabase.uniqueName("cols");
        String table = createTable(name, "id BIGINT NOT NULL PRIMARY KEY, a VARCHAR(5), b BIGINT");
        database().execute("INSERT INTO " + table + " (id, a, b) VALUES (1, 'x', 7)");
        try (Source source = source("table", name, "columns", List.of("B", "id"))) {
            ReadResult result = ReadResult.readAll(source, context(1));
            assertEquals(List.of("b", "id"), lower(source.schema().columns().stream().map(c -> c.name()).toList()));
            assertEquals(7L, result.allRows().get(0)[0]);
        }
    }

    @Test
    void hostileIdentifiersAreQuotedNotExecuted() {
        String canary = TestDatabase.uniqueName("canary");
        createTable(canary, "id BIGINT");
        String name = "Ord\"ers; DROP TABLE " + canary + " --";
        Dialect d = dialect();
        String table = createTable(name, d.sql().quoteIdentifier("select") + " BIGINT NOT NULL PRIMARY KEY, "
                + d.sql().quoteIdentifier("my col") + " VARCHAR(20), " + d.sql().quoteIdentifier("Quo\"te`d") + " VARCHAR(20), "
                + d.sql().quoteIdentifier("MixedCase") + " BIGINT");
        database().execute("INSERT INTO " + table + " VALUES (1, 'a', 'b', 10), (2, 'c', 'd', 20), (3, 'e', 'f', 30)");
        try (Source source = source("table", name, "splitPk", "select", "splitCount", 3,
                "columns", List.of("select", "my col", "Quo\"te`d", "MixedCase"),
                "where", d.sql().quoteIdentifier("MixedCase") + " >= 20")) {
            ReadResult result = ReadResult.readAll(source, context(2));
            assertEquals(2, result.total());
            assertEquals(List.of("select", "my col", "Quo\"te`d", "MixedCase"),
                    source.schema().columns().stream().map(c -> c.name()).toList());
        }
        assertEquals(0, database().queryLong("SELECT COUNT(*) FROM " + d.sql().quoteIdentifier(canary)), "canary table survived");
    }

    @Test
    void unknownTableIsAConfigurationErrorNamingIt() {
        try (Source source = source("table", "no_such_table_" + TestDatabase.uniqueName("x"))) {
            SyncException error = assertThrows(SyncException.class, () -> source.prepare(context(1)));
            assertEquals(ErrorKind.CONFIGURATION, error.kind());
            assertTrue(error.getMessage().contains("no_such_table_"), error.getMessage());
        }
    }

    @Test
    void unknownColumnIsAConfigurationError() {
        String name = TestDatabase.uniqueName("unknowncol");
        createTable(name, "id BIGINT NOT NULL PRIMARY KEY");
        try (Source source = source("table", name, "columns", List.of("id", "nope"))) {
            ConfigException error = assertThrows(ConfigException.class, () -> source.prepare(context(1)));
            assertTrue(error.getMessage().contains("source.columns") && error.getMessage().contains("'nope'"), error.getMessage());
        }
    }

    @Test
    void cancelAbortsARunningQuery() throws Exception {
        String slow = slowQuery();
        Assumptions.assumeTrue(slow != null, "the database has no sleep function");
        try (Source source = source("querySql", slow)) {
            RecordingContext context = context(1);
            source.prepare(context);
            Split split = source.planSplits(context).get(0);
            SourceReader reader = source.createReader(split);
            CompletableFuture<Void> read = CompletableFuture.runAsync(
                    () -> reader.read(new CollectingRecordSink(source.schema())));
            Thread.sleep(1000);
            long started = System.nanoTime();
            reader.cancel();
            Throwable error = assertThrows(Exception.class, () -> read.get(20, TimeUnit.SECONDS));
            assertInstanceOf(CancelledException.class, error.getCause(), String.valueOf(error.getCause()));
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10), "cancel took too long");
            reader.close();
        }
    }

    @Test
    void passwordInUrlIsMaskedInErrors() {
        Map<String, Object> options = database().options("table", "t", "url", unreachableUrl("hunter2secret"));
        options.put("password", "hunter2secret");
        options.put("connectTimeoutSeconds", 2);
        try (Source source = connector().createSource(MapConfig.source(connector(), options))) {
            RuntimeException error = assertThrows(RuntimeException.class, () -> source.prepare(context(1)));
            assertNotNull(error.getMessage());
            for (Throwable t = error; t != null; t = t.getCause()) {
                assertTrue(t.getMessage() == null || !t.getMessage().contains("hunter2secret"), t.getMessage());
            }
        }
    }

    /** Names in lower case: H2 stores unquoted names in upper case, PostgreSQL in lower case. */
    protected static List<String> lower(List<String> names) {
        return names.stream().map(n -> n.toLowerCase(java.util.Locale.ROOT)).toList();
    }

    protected static String sizes(ReadResult result) {
        StringBuilder sb = new StringBuilder();
        result.rows().forEach((id, rows) -> sb.append(id).append('=').append(rows.size()).append(' '));
        return sb.toString();
    }
}
