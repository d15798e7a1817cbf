package dev.ferry.flink;

import dev.ferry.api.Split;
import dev.ferry.api.TargetPlan;
import dev.ferry.engine.runtime.DirtyData;

/**
 * One split on its way through an operator chain: what the reader tells the writer (the split,
 * the target's plan to attach to, where dirty records go) and what the writer tells the reader
 * back once it committed the split.
 *
 * <p>Threading: the reader and the writer of one chain share it on the chain's task thread.
 */
final class SplitRun {

    private final int table;
    private final Split split;
    private final int attempt;
    private final TargetPlan targetPlan;
    private final DirtyData dirty;
    private long recordsWritten;
    private boolean committed;

    SplitRun(int table, Split split, int attempt, TargetPlan targetPlan, DirtyData dirty) {
        this.table = table;
        this.split = split;
        this.attempt = attempt;
        this.targetPlan = targetPlan;
        this.dirty = dirty;
    }

    /** The index of the split's table among the copy's. */
    int table() {
        return table;
    }

    Split split() {
        return split;
    }

    int attempt() {
        return attempt;
    }

    TargetPlan targetPlan() {
        return targetPlan;
    }

    DirtyData dirty() {
        return dirty;
    }

    void written(long records) {
        recordsWritten += records;
    }

    void committed() {
        committed = true;
    }

    long recordsWritten() {
        return recordsWritten;
    }

    boolean isCommitted() {
        return committed;
    }
}
