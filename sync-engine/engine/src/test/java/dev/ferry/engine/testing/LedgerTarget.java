package dev.ferry.engine.testing;

import dev.ferry.api.JobContext;
import dev.ferry.api.Split;
import dev.ferry.api.SupportsSplitLedger;
import dev.ferry.api.data.TableSchema;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link TestTarget} that records each split in a ledger in the split's own commit, over a
 * {@link Database} that outlives the target, as a table does between two runs of a job: a split's
 * ids and its ledger entry become visible together in {@code finishSplit}.
 */
public final class LedgerTarget extends TestTarget implements SupportsSplitLedger {

    /** What survives between runs: committed ids and ledgers. Thread-safe through its monitor. */
    public static final class Database {

        private final List<Long> ids = new ArrayList<>();
        private final Map<String, Map<String, Long>> ledgers = new TreeMap<>();
        private int truncations;

        public synchronized List<Long> sortedIds() {
            List<Long> copy = new ArrayList<>(ids);
            Collections.sort(copy);
            return copy;
        }

        public synchronized Map<String, Map<String, Long>> ledgers() {
            Map<String, Map<String, Long>> copy = new TreeMap<>();
            ledgers.forEach((k, v) -> copy.put(k, new TreeMap<>(v)));
            return copy;
        }

        public synchronized int truncations() {
            return truncations;
        }

        synchronized void commit(String ledger, String split, List<Long> rows) {
            ids.addAll(rows);
            if (ledger != null) {
                ledgers.computeIfAbsent(ledger, k -> new TreeMap<>()).put(split, (long) rows.size());
            }
        }

        synchronized void drop(String ledger) {
            ledgers.remove(ledger);
        }

        synchronized void truncate() {
            ids.clear();
            truncations++;
        }
    }

    private final Database database;
    private final String design;
    private final boolean truncateFirst;
    private volatile String ledger;
    private volatile boolean resuming;

    /**
     * @param design        its write design (a table and mode, as a real target would say)
     * @param truncateFirst whether {@code prepare} empties the database, unless resuming
     */
    public LedgerTarget(Database database, String design, boolean truncateFirst) {
        this.database = database;
        this.design = design;
        this.truncateFirst = truncateFirst;
    }

    @Override
    public String writeDesign() {
        return design;
    }

    @Override
    public void keepSplitLedger(String id, boolean resumingRun) {
        ledger = id;
        resuming = resumingRun;
    }

    @Override
    public Map<String, Long> committedSplits() {
        return database.ledgers().getOrDefault(ledger, Map.of());
    }

    @Override
    public void dropSplitLedger() {
        database.drop(ledger);
    }

    @Override
    public void prepare(JobContext context, TableSchema sourceSchema) {
        super.prepare(context, sourceSchema);
        if (truncateFirst && !resuming) {
            database.truncate();
        }
    }

    @Override
    protected void commitSplit(Split split, List<Long> ids) {
        database.commit(ledger, split.id(), ids);
    }
}
