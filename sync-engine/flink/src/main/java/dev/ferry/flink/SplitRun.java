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

    private final Split split;
    private final int attempt;
    private final TargetPlan targetPlan;
    private final DirtyData dirty;
    private long recordsWritten;
    private boolean committed;

    SplitRun(Split split, int attempt, TargetPlan targetPlan, DirtyData dirty) {
        this.split = split;
        this.attempt = attempt;
        this.targetPlan = targetPlan;
        this.dirty = dirty;
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
