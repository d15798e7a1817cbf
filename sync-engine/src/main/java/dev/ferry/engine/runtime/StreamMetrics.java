package dev.ferry.engine.runtime;

import dev.ferry.api.change.ChangeKind;
import java.util.concurrent.atomic.LongAdder;

/**
 * A stream's live counters: changes read by kind, applied by kind, dirty changes, checkpoints.
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

    void read(long rowBytes) {
        read.increment();
        bytes.add(rowBytes);
    }

    void readDirty() {
        read.increment();
    }

    /** Counts one applied row of {@code kind}; before images are not changes of their own. */
    void applied(ChangeKind kind) {
        switch (kind) {
            case INSERT -> inserts.increment();
            case UPDATE -> updates.increment();
            case DELETE -> deletes.increment();
            case UPDATE_BEFORE -> {
                return;
            }
        }
        applied.increment();
    }
}
