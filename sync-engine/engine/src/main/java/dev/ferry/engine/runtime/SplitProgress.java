package dev.ferry.engine.runtime;

import dev.ferry.api.Split;
import dev.ferry.api.SupportsSplitLedger;
import dev.ferry.api.Target;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.state.StateStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a copy keeps its progress in a {@link StateStore}, so that a copy interrupted by a crash,
 * a kill or a failure resumes with the same splits: the {@link CopyProgress plan} under one key
 * (its splits in pages under {@code KEY/splits/}), and, where the target does not record its splits itself, each split written under
 * {@code KEY/written/SPLIT} with its records as value. A plan that names a split ledger
 * ({@link CopyProgress#ledger()}) learns its written splits from the target instead, which records
 * them in the splits' own commits ({@link SupportsSplitLedger}); a plan without one is only for
 * targets that write by key, where a split written again after a crash overwrites itself. Shared
 * by a task's Full Initialization ({@link SnapshotCopy}, one per table, by key) and a batch job run
 * with its progress kept ({@link JobRun}, through the target's ledger).
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
        return CopyProgress.read(store, key, loader);
    }

    /**
     * The splits of {@code plan} already written, by id, with their records: from {@code target}'s
     * ledger where the plan names one (the target prepared), else as {@link #written} recorded them.
     */
    Map<String, Long> writtenSplits(CopyProgress plan, Target target) {
        if (plan.ledger() == null) {
            return storedSplits();
        }
        if (!(target instanceof SupportsSplitLedger ledger)) {
            throw new SyncException(ErrorKind.CONFIGURATION, "the progress kept under '" + key + "' was written "
                    + "through a split ledger, which target " + target + " does not keep");
        }
        return new TreeMap<>(ledger.committedSplits());
    }

    /** The splits of {@code plan} not among {@code written}, in the plan's order. */
    static List<Split> unwritten(CopyProgress plan, Map<String, Long> written) {
        return plan.splits().stream().filter(split -> !written.containsKey(split.id())).toList();
    }

    private Map<String, Long> storedSplits() {
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
        if (plan != null) {
            values.putAll(plan.entries(key));
        }
        store.putAll(values);
    }

    /**
     * Records that split {@code id} of {@code plan} was written with {@code records} records; a plan
     * with a ledger has it recorded by the target already.
     */
    void written(CopyProgress plan, String id, long records) {
        if (plan.ledger() == null) {
            store.put(writtenPrefix() + id, Long.toString(records));
        }
    }

    /**
     * Removes the plan and every split recorded, noting {@code note} (when and how the copy finished)
     * under {@code KEY/finished} until a next plan is kept.
     */
    void finish(String note) {
        Map<String, String> values = new HashMap<>();
        forget(values);
        values.put(finishedKey(), note);
        store.putAll(values);
    }

    /** What {@link #finish} noted, while no plan was kept since. */
    java.util.Optional<String> finished() {
        return store.get(finishedKey());
    }

    private String finishedKey() {
        return key + "/finished";
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
