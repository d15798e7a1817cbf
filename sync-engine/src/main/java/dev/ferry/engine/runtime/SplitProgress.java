package dev.ferry.engine.runtime;

import dev.ferry.api.state.StateStore;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a copy keeps its progress in a {@link StateStore}, so that a copy interrupted by a crash,
 * a kill or a failure resumes with the same splits: the {@link CopyProgress plan} under one key,
 * and, where the target does not record its splits itself, each split written under
 * {@code KEY/written/SPLIT} with its records as value. Shared by a task's Full Initialization
 * ({@link SnapshotCopy}, one per table) and a batch job run with its progress kept ({@link JobRun}).
 *
 * <p>Threading: callers use one instance from one thread at a time; the store itself is safe for
 * concurrent use.
 */
final class SplitProgress {

    private final StateStore store;
    private final String key;

    SplitProgress(StateStore store, String key) {
        this.store = store;
        this.key = key;
    }

    String key() {
        return key;
    }

    /** The plan kept, its split classes loaded through {@code loader}; null when none is. */
    CopyProgress plan(ClassLoader loader) {
        return CopyProgress.read(store.get(key).orElse(null), loader);
    }

    /** The splits recorded by {@link #written}, by id, with their records. */
    Map<String, Long> writtenSplits() {
        Map<String, Long> written = new TreeMap<>();
        String prefix = writtenPrefix();
        store.list(prefix).forEach((k, rows) -> written.put(k.substring(prefix.length()), Long.parseLong(rows)));
        return written;
    }

    /**
     * Keeps {@code plan} in place of whatever was kept, splits of an earlier plan included, in one
     * atomic write; a null plan only forgets.
     */
    void start(CopyProgress plan) {
        Map<String, String> values = new HashMap<>();
        forget(values);
        values.put(key, plan == null ? null : plan.write());
        store.putAll(values);
    }

    /** Records that split {@code id} was written with {@code records} records. */
    void written(String id, long records) {
        store.put(writtenPrefix() + id, Long.toString(records));
    }

    /** Removes the plan and every split recorded. */
    void forget() {
        Map<String, String> values = new HashMap<>();
        forget(values);
        store.putAll(values);
    }

    /** Adds to {@code values} the removal of the plan and every split recorded, for one atomic write. */
    void forget(Map<String, String> values) {
        values.put(key, null);
        store.list(key + "/").keySet().forEach(k -> values.put(k, null));
    }

    private String writtenPrefix() {
        return key + "/written/";
    }
}
