package dev.ferry.engine.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.state.StateStore;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The state-store contract, on the in-memory store and on the JDBC store over an embedded H2 file. */
class StateStoreTest {

    @TempDir
    Path dir;

    private StateStore store(String kind) {
        return kind.equals("memory") ? new InMemoryStateStore() : JdbcStateStore.open(dir.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "jdbc"})
    void putGetRemove(String kind) {
        StateStore store = store(kind);
        assertEquals(Optional.empty(), store.get("a"));
        store.put("a", "1");
        store.put("a", "2");
        assertEquals(Optional.of("2"), store.get("a"));
        store.remove("a");
        assertEquals(Optional.empty(), store.get("a"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "jdbc"})
    void putAllWritesAndRemovesTogether(String kind) {
        StateStore store = store(kind);
        store.put("job/x/old", "o");
        Map<String, String> changes = new HashMap<>();
        changes.put("job/x/a", "1");
        changes.put("job/x/b", "2");
        changes.put("job/x/old", null);
        store.putAll(changes);
        assertEquals(new TreeMap<>(Map.of("job/x/a", "1", "job/x/b", "2")), store.list("job/x/"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "jdbc"})
    void putAllWithABadKeyChangesNothing(String kind) {
        StateStore store = store(kind);
        Map<String, String> changes = new HashMap<>();
        changes.put("good", "1");
        changes.put("x".repeat(JdbcStateStore.MAX_KEY_LENGTH + 1), "2");
        assertThrows(IllegalArgumentException.class, () -> store.putAll(changes));
        assertEquals(Optional.empty(), store.get("good"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "jdbc"})
    void compareAndSetChangesOnlyFromTheExpectedValue(String kind) {
        StateStore store = store(kind);
        assertTrue(store.compareAndSet("lease", null, "runner-1"));
        assertFalse(store.compareAndSet("lease", null, "runner-2"), "absent was expected but a value is there");
        assertFalse(store.compareAndSet("lease", "runner-2", "runner-3"));
        assertTrue(store.compareAndSet("lease", "runner-1", "runner-1b"));
        assertEquals(Optional.of("runner-1b"), store.get("lease"));
        assertFalse(store.compareAndSet("lease", "runner-1", null));
        assertTrue(store.compareAndSet("lease", "runner-1b", null));
        assertEquals(Optional.empty(), store.get("lease"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "jdbc"})
    void listTakesThePrefixLiterally(String kind) {
        StateStore store = store(kind);
        store.put("a_b/1", "x");
        store.put("aXb/1", "y");
        store.put("a%b/1", "z");
        store.put("a_b", "w");
        assertEquals(List.of("a_b/1"), List.copyOf(store.list("a_b/").keySet()));
        assertEquals(List.of("a%b/1"), List.copyOf(store.list("a%").keySet()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "jdbc"})
    void concurrentCompareAndSetHasOneWinner(String kind) throws Exception {
        StateStore store = store(kind);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicInteger winners = new AtomicInteger();
        try {
            List<Future<?>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String me = "runner-" + i;
                futures.add(pool.submit(() -> {
                    if (store.compareAndSet("lease", null, me)) {
                        winners.incrementAndGet();
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, winners.get());
    }

    @Test
    void theJdbcStoreKeepsItsValuesAcrossOpens() {
        try (JdbcStateStore first = JdbcStateStore.open(dir.toString())) {
            first.putAll(Map.of("stream/s/plan", "{}", "stream/s/checkpoint", "{\"position\":\"0/16B3748\"}"));
        }
        try (JdbcStateStore second = JdbcStateStore.open(dir.toString())) {
            assertEquals(Optional.of("{\"position\":\"0/16B3748\"}"), second.get("stream/s/checkpoint"));
            assertEquals(2, second.list("stream/s/").size());
        }
    }

    @Test
    void openingWaitsOnlyWhileAnotherProcessTakesOrGivesUpTheEmbeddedDatabase() {
        assertTrue(JdbcStateStore.handingOver(new java.sql.SQLException(
                "Error opening database: \"Another process was faster\" [8000-232]", "HY000", 8000)));
        assertTrue(JdbcStateStore.handingOver(new java.sql.SQLException(
                "Error opening database: \"Lock file recently modified\" [8000-232]", "HY000", 8000)));
        assertTrue(JdbcStateStore.handingOver(new java.sql.SQLException("Database may be already in use", "90020", 90020)));
        assertFalse(JdbcStateStore.handingOver(new java.sql.SQLException(
                "File corrupted while reading record: null [90030-232]", "90030", 90030)));
    }
}
