package dev.ferry.engine.runtime;

import dev.ferry.api.change.ChangeKind;
import dev.ferry.api.change.TableId;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A stream's live counters: changes read, applied by kind (in total and per table), checkpoints.
 *
 * <p>Threading: safe for concurrent use; each stream has its own instance.
 */
final class StreamMetrics {

    final LongAdder read = new LongAdder();
    final LongAdder bytes = new LongAdder();
    final LongAdder inserts = new LongAdder();
    final LongAdder updates = new LongAdder();
    final LongAdder deletes = new LongAdder();
    final LongAdder applied = new LongAdder();
    final LongAdder checkpoints = new LongAdder();
    final LongAdder snapshotRows = new LongAdder();
    private final Map<TableId, TableCounts> tables = new ConcurrentHashMap<>();

    /** Changes of one table applied so far, by kind. */
    record TableCounts(LongAdder inserts, LongAdder updates, LongAdder deletes) {

        TableCounts() {
            this(new LongAdder(), new LongAdder(), new LongAdder());
        }
    }

    void read(long rowBytes) {
        read.increment();
        bytes.add(rowBytes);
    }

    void readDirty() {
        read.increment();
    }

    /** Counts the applied rows of {@code rows}; before images are not changes of their own. */
    void applied(ChangeRows rows) {
        long i = 0;
        long u = 0;
        long d = 0;
        for (int r = 0; r < rows.size; r++) {
            switch (rows.kind(r)) {
                case INSERT -> i++;
                case UPDATE -> u++;
                case DELETE -> d++;
                case UPDATE_BEFORE -> {
                }
            }
        }
        inserts.add(i);
        updates.add(u);
        deletes.add(d);
        applied.add(i + u + d);
        TableCounts table = tables.computeIfAbsent(rows.table(), t -> new TableCounts());
        table.inserts.add(i);
        table.updates.add(u);
        table.deletes.add(d);
    }

    /** Per table, {inserts, updates, deletes} applied so far, sorted by table. */
    Map<TableId, long[]> tableCounts() {
        Map<TableId, long[]> result = new TreeMap<>();
        tables.forEach((id, c) -> result.put(id, new long[] {c.inserts.sum(), c.updates.sum(), c.deletes.sum()}));
        return result;
    }
}
