package dev.ferry.api.state;

import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * A small durable key-value store for what must survive a restart: which splits of a job are
 * done, the plan and checkpointed {@link Position} of a stream. Values are small (kilobytes);
 * keys are at most 512 characters.
 *
 * <p>Durability: when a write returns, it survives a crash of this process. Atomicity: each call
 * is all or nothing, {@link #putAll} included.
 *
 * <p>Threading: implementations are safe for concurrent use, also by several processes where the
 * store is shared (a database).
 */
public interface StateStore {

    Optional<String> get(String key);

    void put(String key, String value);

    void remove(String key);

    /**
     * Writes several keys atomically: after a crash either all of them have their new values or
     * none has. A null value removes its key.
     */
    void putAll(Map<String, String> values);

    /**
     * Sets {@code key} to {@code value} only if it currently holds {@code expected}.
     *
     * @param expected the value the key must hold, or null for "absent"
     * @param value    the new value, or null to remove the key
     * @return whether the store changed
     */
    boolean compareAndSet(String key, String expected, String value);

    /** Every key starting with {@code prefix} with its value, sorted by key. */
    SortedMap<String, String> list(String prefix);
}
