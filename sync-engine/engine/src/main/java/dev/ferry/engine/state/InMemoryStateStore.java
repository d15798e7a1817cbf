package dev.ferry.engine.state;

import dev.ferry.api.state.StateStore;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A {@link StateStore} that lives as long as the engine; the default when the embedder gives none.
 * Nothing in it survives the process, so a stream kept here restarts from its plan's start.
 *
 * <p>Threading: every method holds the store's lock, which makes {@link #putAll} and
 * {@link #compareAndSet} atomic.
 */
public final class InMemoryStateStore implements StateStore {

    private final TreeMap<String, String> values = new TreeMap<>();

    @Override
    public synchronized Optional<String> get(String key) {
        JdbcStateStore.checkKey(key);
        return Optional.ofNullable(values.get(key));
    }

    @Override
    public synchronized void put(String key, String value) {
        JdbcStateStore.checkKey(key);
        values.put(key, Objects.requireNonNull(value, "value"));
    }

    @Override
    public synchronized void remove(String key) {
        JdbcStateStore.checkKey(key);
        values.remove(key);
    }

    @Override
    public synchronized void putAll(Map<String, String> changes) {
        changes.keySet().forEach(JdbcStateStore::checkKey);
        changes.forEach((key, value) -> {
            if (value == null) {
                values.remove(Objects.requireNonNull(key, "key"));
            } else {
                values.put(Objects.requireNonNull(key, "key"), value);
            }
        });
    }

    @Override
    public synchronized boolean compareAndSet(String key, String expected, String value) {
        JdbcStateStore.checkKey(key);
        if (!Objects.equals(values.get(key), expected) || (expected == null && value == null)) {
            return false;
        }
        if (value == null) {
            values.remove(key);
        } else {
            values.put(key, value);
        }
        return true;
    }

    @Override
    public synchronized SortedMap<String, String> list(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        TreeMap<String, String> result = new TreeMap<>();
        for (Map.Entry<String, String> e : values.tailMap(prefix).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            result.put(e.getKey(), e.getValue());
        }
        return result;
    }
}
