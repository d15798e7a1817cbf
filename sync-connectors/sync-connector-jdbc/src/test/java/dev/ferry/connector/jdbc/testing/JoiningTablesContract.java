package dev.ferry.connector.jdbc.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ferry.api.Source;
import dev.ferry.api.change.CapturePlan;
import dev.ferry.api.change.ChangeKind;
import dev.ferry.api.change.ChangeSource;
import dev.ferry.api.change.SupportsJoiningTables;
import dev.ferry.api.change.TableId;
import dev.ferry.api.change.TableSnapshot;
import dev.ferry.api.state.Position;
import dev.ferry.connector.jdbc.testing.RecordingChangeSink.Change;
import dev.ferry.engine.testing.RecordingContext;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The protocol of {@link SupportsJoiningTables} against a real server, for each connector that has
 * it. A stream captures table A while A and B are written concurrently; B joins (a plan with both),
 * a snapshot of B is opened, around it B is written in transactions that commit before it, that
 * have written B before it joined and commit while the snapshot opens, that begin before it and
 * write after it, and that come after it; B is copied. Then readers attached from the stream's start with per-table positions must deliver
 * what the copy lacks and nothing a table's position excludes: the copy with B's delivered changes
 * applied equals B, A's changes applied to A's first rows equal A, every delivered change of a
 * table belongs to a transaction committed after its position, and a reader given a later position
 * for A delivers the same transactions with A's changes up to it left out.
 */
public abstract class JoiningTablesContract {

    private static final long WAIT_SECONDS = 120;
    private static final long MARKER = 999_999_999L;
    private static final int FIRST_ROWS = 40;
    private static final long WRITER_KEYS = 100_000;

    protected final String job = TestDatabase.uniqueName("join");
    protected final String tableA = TestDatabase.uniqueName("join_a");
    protected final String tableB = TestDatabase.uniqueName("join_b");
    protected final RecordingContext context = new RecordingContext(job, 2);
    private final Deque<AutoCloseable> open = new ArrayDeque<>();
    private final TestDatabase database;
    private final String schema;
    private final boolean copyShowsNothingAfterPosition;
    private final boolean openingWaitsForWritingTransactions;

    /**
     * @param schema                             where the test's tables are (schema or database)
     * @param copyShowsNothingAfterPosition      whether every split of a snapshot's sources reads
     *                                           exactly as of its position (no later transaction)
     * @param openingWaitsForWritingTransactions whether opening a snapshot waits for a transaction
     *                                           that has written when it begins, which then commits
     *                                           before the snapshot's position
     */
    protected JoiningTablesContract(TestDatabase database, String schema, boolean copyShowsNothingAfterPosition,
                                    boolean openingWaitsForWritingTransactions) {
        this.database = database;
        this.schema = schema;
        this.copyShowsNothingAfterPosition = copyShowsNothingAfterPosition;
        this.openingWaitsForWritingTransactions = openingWaitsForWritingTransactions;
    }

    /** A change source made from a streaming job's {@code source} block holding {@code options}. */
    protected abstract ChangeSource changeSource(Map<String, Object> options);

    /** Returns once the server shows a snapshot being opened waiting for a transaction to end; fails after a while. */
    protected void awaitOpeningWaits() {
    }

    /** Checks what holds an open snapshot on the server. */
    protected void assertHeld(TableSnapshot snapshot) {
    }

    /** Checks that a closed snapshot holds nothing on the server any more. */
    protected void assertReleased(TableSnapshot snapshot) {
    }

    /** Returns once a closed reader has let go of the stream on the server; fails after a while. */
    protected void awaitReaderGone() {
    }

    /** Removes what planning created on the server, whatever state the test left it in. */
    protected abstract void dropStream();

    private TableId id(String table) {
        return new TableId(schema, table);
    }

    /** A change source capturing {@code tables}, starting at the latest position. */
    private ChangeSource changeSource(List<String> tables) {
        return changeSource(database.options("tables", tables.stream().map(t -> schema + "." + t).toList(),
                "capture.startFrom", "latest"));
    }

    @BeforeEach
    void createTables() {
        database.assumeReachable();
        for (String table : List.of(tableA, tableB)) {
            database.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, v varchar(40))");
        }
        for (int i = 1; i <= FIRST_ROWS; i++) {
            database.execute("INSERT INTO " + tableB + " VALUES (" + i + ", 'first " + i + "')");
        }
        database.execute("INSERT INTO " + tableA + " VALUES (1, 'first 1'), (2, 'first 2'), (3, 'first 3')");
    }

    @AfterEach
    void cleanUp() {
        while (!open.isEmpty()) {
            try {
                open.pop().close();
            } catch (Exception | AssertionError e) {
                System.err.println("cleanup: " + e);
            }
        }
        try {
            dropStream();
        } finally {
            database.execute("DROP TABLE IF EXISTS " + tableA, "DROP TABLE IF EXISTS " + tableB);
        }
    }

    private <T extends AutoCloseable> T open(T resource) {
        open.push(resource);
        return resource;
    }

    @Test
    void aJoiningTableIsCopiedAsOfItsPositionAndStreamedAfterIt() throws Exception {
        ChangeSource first = open(changeSource(List.of(tableA)));
        CapturePlan onlyA = first.plan(context, null);
        Map<Long, String> firstA = rows(tableA);
        ChangeReaderRun streamingA = open(ChangeReaderRun.start(first.attach(onlyA, onlyA.start(), context), "stream-a"));
        Writer writer = open(Writer.start(database, tableA, tableB));
        writer.awaitRounds(5);
        // Written before B joins the stream, committed once the snapshot is being opened.
        Connection writing = open(transaction());
        execute(writing, "INSERT INTO " + tableB + " VALUES (1500, 'written before B joined')");

        ChangeSource joined = open(changeSource(List.of(tableA, tableB)));
        CapturePlan both = joined.plan(context, onlyA);
        SupportsJoiningTables joining = (SupportsJoiningTables) joined;
        database.execute("INSERT INTO " + tableB + " VALUES (1001, 'before')");
        Connection begun = open(transaction());
        execute(begun, "SELECT 1");

        TableSnapshot snapshot;
        if (openingWaitsForWritingTransactions) {
            CompletableFuture<TableSnapshot> opening = CompletableFuture.supplyAsync(
                    () -> joining.openSnapshot(both, List.of(id(tableB)), context));
            awaitOpeningWaits();
            assertFalse(opening.isDone(), "the snapshot waits for the transaction that has written B");
            writing.commit();
            snapshot = open(opening.get(WAIT_SECONDS, TimeUnit.SECONDS));
        } else {
            snapshot = open(joining.openSnapshot(both, List.of(id(tableB)), context));
        }
        Position position = snapshot.position();
        assertHeld(snapshot);
        assertThrows(IllegalArgumentException.class, () -> snapshot.source(id(tableA)));
        execute(begun, "INSERT INTO " + tableB + " VALUES (2001, 'begun before, written after')");

        Map<Long, String> copy;
        if (copyShowsNothingAfterPosition) {
            commitAfterTheSnapshot(writing, begun);
            copy = copy(snapshot);
        } else {
            // Each split reads its own, later snapshot: copy before the later transactions commit.
            copy = copy(snapshot);
            commitAfterTheSnapshot(writing, begun);
        }
        snapshot.close();
        assertReleased(snapshot);
        assertThrows(IllegalStateException.class, () -> snapshot.source(id(tableB)));

        for (long key = 1; key <= FIRST_ROWS; key++) {
            assertEquals("first " + key, copy.get(key), "row " + key + " of B as it was before the snapshot");
        }
        assertEquals("before", copy.get(1001L), "committed before the snapshot, changed after it");
        assertEquals(openingWaitsForWritingTransactions, copy.containsKey(1500L),
                "a transaction that has written B before it joined and commits while the snapshot opens");
        assertFalse(copy.containsKey(2001L), "a transaction begun before the snapshot and committed after it");
        assertFalse(copy.containsKey(3001L), "a transaction after the snapshot");

        writer.awaitRounds(writer.rounds() + 5);
        writer.close();
        database.execute("INSERT INTO " + tableB + " VALUES (" + MARKER + ", 'end')");
        streamingA.close();
        awaitReaderGone();

        assertThrows(IllegalArgumentException.class, () -> joining.attach(both, position,
                Map.of(id(tableB), onlyA.start()), context), "a table's position older than the reader's start");

        // B from the snapshot's position on, A from the stream's start.
        Delivered joinedB = readUntilMarker(joining, both, onlyA.start(), Map.of(id(tableB), position));
        List<Change> changesB = ofTable(joinedB.changes(), tableB);
        for (Change change : changesB) {
            assertTrue(change.commit().compareTo(position) > 0, "B's " + change + " belongs to a transaction committed "
                    + "after the snapshot's position " + position);
        }
        Set<Object> insertedB = changesB.stream().filter(c -> c.kind() == ChangeKind.INSERT).map(Change::key)
                .collect(Collectors.toSet());
        assertTrue(insertedB.containsAll(List.of(2001L, 3001L)), "inserts after the snapshot are delivered: " + insertedB);
        assertEquals(!openingWaitsForWritingTransactions, insertedB.contains(1500L),
                "a transaction that has written B before it joined is delivered when it commits after the snapshot");
        assertTrue(changesB.stream().anyMatch(c -> c.kind() == ChangeKind.DELETE && c.key().equals(3L)));
        if (copyShowsNothingAfterPosition) {
            assertEquals(Set.of(), insertedB.stream().filter(copy::containsKey).collect(Collectors.toSet()),
                    "rows both in the copy and inserted after its position");
        }
        assertEquals(rows(tableB), applied(copy, changesB), "the copy with B's changes after it applied");
        List<Change> changesA = ofTable(joinedB.changes(), tableA);
        assertEquals(rows(tableA), applied(firstA, changesA), "A's first rows with all its changes applied");

        // A from a later position: its changes up to there are left out, nothing else changes.
        Position later = changesA.get(changesA.size() / 2).commit();
        Delivered laterA = readUntilMarker(joining, both, onlyA.start(),
                Map.of(id(tableA), later, id(tableB), position));
        Predicate<Change> keptForA = c -> !c.table().equals(id(tableA)) || c.commit().compareTo(later) > 0;
        assertEquals(joinedB.changes().stream().filter(keptForA).toList(), laterA.changes());
        assertEquals(joinedB.commits(), laterA.commits(), "the same transactions are delivered");
        assertTrue(laterA.changes().stream().anyMatch(c -> c.table().equals(id(tableA))), "A's changes after " + later);
        assertTrue(changesA.stream().anyMatch(keptForA.negate()), "A's changes up to " + later + " were left out");
    }

    private void commitAfterTheSnapshot(Connection writing, Connection begun) throws SQLException {
        if (!openingWaitsForWritingTransactions) {
            writing.commit();
        }
        begun.commit();
        database.execute("INSERT INTO " + tableB + " VALUES (3001, 'after')",
                "UPDATE " + tableB + " SET v = 'changed after' WHERE id = 1001",
                "DELETE FROM " + tableB + " WHERE id = 3");
    }

    /** What a reader delivered up to the commit of the marker row that ends the test's writes. */
    private record Delivered(List<Change> changes, List<Position> commits) {
    }

    /** Attaches a reader and reads until the marker row's transaction. */
    private Delivered readUntilMarker(SupportsJoiningTables joining, CapturePlan plan, Position from,
                                      Map<TableId, Position> tablesFrom) throws InterruptedException {
        ChangeReaderRun run = open(ChangeReaderRun.start(joining.attach(plan, from, tablesFrom, context), "joined"));
        Predicate<Change> marker = c -> c.table().equals(id(tableB)) && c.key().equals(MARKER);
        run.awaitChange(marker, WAIT_SECONDS, TimeUnit.SECONDS);
        run.close();
        awaitReaderGone();
        List<Change> changes = run.sink().changes();
        Position end = changes.stream().filter(marker).findFirst().orElseThrow().commit();
        return new Delivered(changes.stream().filter(c -> c.commit().compareTo(end) <= 0).toList(),
                run.sink().commits().stream().filter(p -> p.compareTo(end) <= 0).toList());
    }

    private List<Change> ofTable(List<Change> changes, String table) {
        return changes.stream().filter(c -> c.table().equals(id(table))).toList();
    }

    /** Rows with changes applied by key, as a change target applies them. */
    private static Map<Long, String> applied(Map<Long, String> rows, List<Change> changes) {
        Map<Long, String> result = new TreeMap<>(rows);
        for (Change change : changes) {
            switch (change.kind()) {
                case INSERT, UPDATE -> result.put((Long) change.key(), (String) change.values().get(1));
                case DELETE -> result.remove((Long) change.key());
                default -> {
                    // an update's old row changes nothing
                }
            }
        }
        return result;
    }

    private Map<Long, String> copy(TableSnapshot snapshot) {
        Map<Long, String> rows = new TreeMap<>();
        try (Source source = snapshot.source(id(tableB))) {
            ReadResult read = ReadResult.readAll(source, context);
            assertTrue(read.splits().size() > 1, "the copy is split by its key: " + read.splits());
            for (Object[] row : read.allRows()) {
                assertEquals(null, rows.put((Long) row[0], (String) row[1]), "row " + row[0] + " copied twice");
            }
        }
        return rows;
    }

    private Map<Long, String> rows(String table) {
        Map<Long, String> rows = new TreeMap<>();
        try (Connection c = database.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, v FROM " + table)) {
            while (rs.next()) {
                rows.put(rs.getLong(1), rs.getString(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    private Connection transaction() throws SQLException {
        Connection c = database.connect();
        c.setAutoCommit(false);
        return c;
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /**
     * Writes A and B concurrently in rounds until closed: an insert into each in its own
     * transaction, an update of both in one, and every fifth round a delete from both in one.
     */
    private static final class Writer implements AutoCloseable {

        private static final int MAX_ROUNDS = 100_000;

        private final AtomicInteger rounds = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile boolean stopped;
        private Thread thread;

        static Writer start(TestDatabase db, String a, String b) {
            Writer writer = new Writer();
            writer.thread = new Thread(() -> writer.run(db, a, b), "writer");
            writer.thread.setDaemon(true);
            writer.thread.start();
            return writer;
        }

        private void run(TestDatabase db, String a, String b) {
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                for (int i = 0; !stopped && i < MAX_ROUNDS; i++) {
                    long key = WRITER_KEYS + i;
                    s.execute("INSERT INTO " + a + " VALUES (" + key + ", 'w " + i + "')");
                    s.execute("INSERT INTO " + b + " VALUES (" + key + ", 'w " + i + "')");
                    c.setAutoCommit(false);
                    s.execute("UPDATE " + a + " SET v = 'u " + i + "' WHERE id = " + key);
                    s.execute("UPDATE " + b + " SET v = 'u " + i + "' WHERE id = " + key);
                    c.commit();
                    if (i % 5 == 4) {
                        s.execute("DELETE FROM " + a + " WHERE id = " + (key - 3));
                        s.execute("DELETE FROM " + b + " WHERE id = " + (key - 3));
                        c.commit();
                    }
                    c.setAutoCommit(true);
                    rounds.incrementAndGet();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }

        int rounds() {
            return rounds.get();
        }

        void awaitRounds(int wanted) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (rounds.get() < wanted) {
                if (failure.get() != null) {
                    throw new AssertionError("the writer failed: " + failure.get(), failure.get());
                }
                if (System.nanoTime() > deadline || !thread.isAlive()) {
                    fail("the writer did " + rounds.get() + " of " + wanted + " rounds");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }

        @Override
        public void close() throws InterruptedException {
            stopped = true;
            thread.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            if (failure.get() != null) {
                throw new AssertionError("the writer failed: " + failure.get(), failure.get());
            }
        }
    }
}
