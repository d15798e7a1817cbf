package dev.ferry.engine.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.state.StateStore;
import dev.ferry.engine.state.JdbcStateStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link StateStore} keeps, run by a subclass per store. Each test writes only
 * keys under its own prefix and removes them at the end, so a subclass may point at a table that
 * other processes share.
 */
public abstract class StateStoreContract {

    /** A value long enough to leave the sizes of ordinary rows behind (about 3 MB of text). */
    protected static final int LONG_VALUE = 3_000_000;

    private final String prefix = "contract/" + UUID.randomUUID() + "/";
    private final List<StateStore> opened = new ArrayList<>();

    /**
     * Opens a store on the data under test. Stores that can be shared return a new instance
     * on every call, as a second process would have; the others return the same one.
     */
    protected abstract StateStore open();

    /** The longest value the store is asked to hold. */
    protected int longestValue() {
        return LONG_VALUE;
    }

    /** The first store this test opened. */
    protected final StateStore store() {
        if (opened.isEmpty()) {
            opened.add(open());
        }
        return opened.get(0);
    }

    /** Another store on the same data, as a second process would open it. */
    protected final StateStore secondStore() {
        store();
        StateStore second = open();
        opened.add(second);
        return second;
    }

    /** {@code name} under this test's own prefix. */
    protected final String key(String name) {
        return prefix + name;
    }

    @AfterEach
    void removeTheKeysAndClose() throws Exception {
        if (opened.isEmpty()) {
            return;
        }
        Map<String, String> removals = new HashMap<>();
        store().list(prefix).keySet().forEach(k -> removals.put(k, null));
        store().putAll(removals);
        assertEquals(Map.of(), store().list(prefix));
        for (StateStore store : opened) {
            if (store instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }

    @Test
    void putGetRemove() {
        StateStore store = store();
        assertEquals(Optional.empty(), store.get(key("a")));
        store.put(key("a"), "1");
        store.put(key("a"), "2");
        assertEquals(Optional.of("2"), store.get(key("a")));
        store.put(key("a"), "2");
        assertEquals(Optional.of("2"), store.get(key("a")), "writing the same value again");
        store.remove(key("a"));
        assertEquals(Optional.empty(), store.get(key("a")));
        store.remove(key("a"));
    }

    @Test
    void putAllWritesAndRemovesTogether() {
        StateStore store = store();
        store.put(key("job/old"), "o");
        store.put(key("job/b"), "2");
        Map<String, String> changes = new HashMap<>();
        changes.put(key("job/a"), "1");
        changes.put(key("job/b"), "2");
        changes.put(key("job/old"), null);
        changes.put(key("job/never"), null);
        store.putAll(changes);
        assertEquals(new TreeMap<>(Map.of(key("job/a"), "1", key("job/b"), "2")), store.list(key("job/")));
    }

    @Test
    void putAllWithABadKeyChangesNothing() {
        StateStore store = store();
        Map<String, String> changes = new HashMap<>();
        changes.put(key("good"), "1");
        changes.put("x".repeat(JdbcStateStore.MAX_KEY_LENGTH + 1), "2");
        assertThrows(IllegalArgumentException.class, () -> store.putAll(changes));
        assertEquals(Optional.empty(), store.get(key("good")));
    }

    @Test
    void compareAndSetChangesOnlyFromTheExpectedValue() {
        StateStore store = store();
        String lease = key("lease");
        assertTrue(store.compareAndSet(lease, null, "runner-1"));
        assertFalse(store.compareAndSet(lease, null, "runner-2"), "absent was expected but a value is there");
        assertFalse(store.compareAndSet(lease, "runner-2", "runner-3"));
        assertTrue(store.compareAndSet(lease, "runner-1", "runner-1b"));
        assertEquals(Optional.of("runner-1b"), store.get(lease));
        assertFalse(store.compareAndSet(lease, "runner-1", null));
        assertTrue(store.compareAndSet(lease, "runner-1b", null));
        assertEquals(Optional.empty(), store.get(lease));
        assertFalse(store.compareAndSet(lease, null, null), "absent to absent changes nothing");
    }

    @Test
    void compareAndSetComparesValuesExactly() {
        StateStore store = store();
        String lease = key("lease");
        store.put(lease, "Runner-é");
        for (String near : List.of("runner-é", "RUNNER-É", "Runner-e", "Runner-é ")) {
            assertFalse(store.compareAndSet(lease, near, "taken"), "'" + near + "' is not 'Runner-é'");
            assertFalse(store.compareAndSet(lease, near, null), "'" + near + "' is not 'Runner-é'");
        }
        assertEquals(Optional.of("Runner-é"), store.get(lease));
    }

    @Test
    void keysThatDifferInCaseOrTrailingSpacesAreDifferentKeys() {
        StateStore store = store();
        List<String> keys = List.of(key("k"), key("K"), key("k "), key("k  "));
        for (String k : keys) {
            store.put(k, "[" + k + "]");
        }
        for (String k : keys) {
            assertEquals(Optional.of("[" + k + "]"), store.get(k));
        }
        assertEquals(keys.size(), store.list(key("")).size());
        store.remove(key("k "));
        assertEquals(Optional.of("[" + key("k") + "]"), store.get(key("k")));
        assertEquals(keys.size() - 1, store.list(key("")).size());
    }

    @Test
    void listTakesThePrefixLiterally() {
        StateStore store = store();
        for (String k : List.of("a_b/1", "aXb/1", "a%b/1", "aYYb/1", "a_b", "a!b/1", "a\\b/1", "a[b]/1")) {
            store.put(key(k), "v " + k);
        }
        assertEquals(List.of(key("a_b/1")), List.copyOf(store.list(key("a_b/")).keySet()));
        assertEquals(List.of(key("a%b/1")), List.copyOf(store.list(key("a%")).keySet()));
        assertEquals(List.of(key("a!b/1")), List.copyOf(store.list(key("a!")).keySet()));
        assertEquals(List.of(key("a\\b/1")), List.copyOf(store.list(key("a\\")).keySet()));
        assertEquals(List.of(key("a[b]/1")), List.copyOf(store.list(key("a[")).keySet()));
        assertEquals(Map.of(key("a%b/1"), "v a%b/1"), store.list(key("a%b/")));
        assertEquals(8, store.list(key("a")).size());
    }

    @Test
    void longValuesAndTextOfEveryScriptRoundTrip() {
        StateStore store = store();
        String text = "ASCII, é ß ø, Ελληνικά, 日本語, 한국어, עברית, 😀🚀 and a tab\t and a quote ' \" \\ ";
        store.put(key("é/日本/😀"), text);
        assertEquals(Optional.of(text), store.get(key("é/日本/😀")));
        assertEquals(Map.of(key("é/日本/😀"), text), store.list(key("é/")));
        StringBuilder sb = new StringBuilder(longestValue());
        while (sb.length() + text.length() <= longestValue()) {
            sb.append(text);
        }
        String longValue = sb.toString();
        store.put(key("long"), longValue);
        assertEquals(longValue, store.get(key("long")).orElseThrow());
        assertTrue(store.compareAndSet(key("long"), longValue, "short"));
        assertEquals(Optional.of("short"), store.get(key("long")));
    }

    @Test
    void keysHaveAtMostTheMaximumLength() {
        StateStore store = store();
        String longest = key("日".repeat(JdbcStateStore.MAX_KEY_LENGTH - key("").length()));
        assertEquals(JdbcStateStore.MAX_KEY_LENGTH, longest.length());
        store.put(longest, "v");
        assertEquals(Optional.of("v"), store.get(longest));
        assertEquals(Map.of(longest, "v"), store.list(key("日")));
        String tooLong = longest + "x";
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> store.put(tooLong, "v"));
        assertTrue(error.getMessage().contains(String.valueOf(JdbcStateStore.MAX_KEY_LENGTH)), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> store.compareAndSet(tooLong, null, "v"));
        assertThrows(IllegalArgumentException.class, () -> store.get(tooLong));
        assertThrows(IllegalArgumentException.class, () -> store.put("", "v"));
        assertEquals(Map.of(longest, "v"), store.list(key("")));
    }

    @Test
    void ofTwoStoresRacingToTakeTheSameKeyExactlyOneWins() throws Exception {
        StateStore first = store();
        StateStore second = secondStore();
        for (int round = 0; round < 20; round++) {
            String lease = key("lease/" + round);
            assertEquals(1, winners(first, second, lease, null), "taking absent " + lease);
            String holder = store().get(lease).orElseThrow();
            assertEquals(1, winners(first, second, lease, holder), "taking over " + lease + " from " + holder);
        }
    }

    /**
     * How many of two callers, released together, change {@code lease} from {@code expected} to
     * their own name; the value left must be the winner's.
     */
    private static int winners(StateStore first, StateStore second, String lease, String expected) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        String firstName = "first-" + UUID.randomUUID();
        String secondName = "second-" + UUID.randomUUID();
        CompletableFuture<Boolean> a = race(go, () -> first.compareAndSet(lease, expected, firstName));
        CompletableFuture<Boolean> b = race(go, () -> second.compareAndSet(lease, expected, secondName));
        go.countDown();
        boolean firstWon = a.get();
        boolean secondWon = b.get();
        if (firstWon != secondWon) {
            assertEquals(Optional.of(firstWon ? firstName : secondName), first.get(lease));
        }
        return (firstWon ? 1 : 0) + (secondWon ? 1 : 0);
    }

    private static CompletableFuture<Boolean> race(CountDownLatch go, java.util.function.BooleanSupplier attempt) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return attempt.getAsBoolean();
        }, runnable -> new Thread(runnable, "compare-and-set").start());
    }
}
