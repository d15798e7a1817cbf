package dev.ferry.api.state;

import java.util.Optional;

/**
 * A small durable key-value store for what must survive a restart: which splits of a job are
 * done, and the change-capture {@link Position} of a sync task. Values are small (kilobytes).
 *
 * <p>Threading: implementations are safe for concurrent use; {@link #put} is atomic per key.
 */
public interface StateStore {

    Optional<String> get(String key);

    void put(String key, String value);

    void remove(String key);
}
