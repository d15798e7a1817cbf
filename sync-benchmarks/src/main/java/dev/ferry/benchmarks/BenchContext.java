package dev.ferry.benchmarks;

import dev.ferry.api.WriterContext;
import dev.ferry.api.data.RowBatch;
import dev.ferry.api.state.StateStore;
import dev.ferry.engine.state.InMemoryStateStore;

/**
 * What a target sees of a benchmark that drives it directly: one channel, an in-memory state store,
 * warnings printed, and a dirty row a failure (benchmark data has none).
 */
final class BenchContext implements WriterContext {

    private final String jobName;
    private final StateStore store = new InMemoryStateStore();

    BenchContext(String jobName) {
        this.jobName = jobName;
    }

    @Override
    public String jobName() {
        return jobName;
    }

    @Override
    public int concurrency() {
        return 1;
    }

    @Override
    public int channel() {
        return 0;
    }

    @Override
    public void warn(String message) {
        System.out.println("warning: " + message);
    }

    @Override
    public StateStore stateStore() {
        return store;
    }

    @Override
    public void reportDirty(RowBatch batch, int row, String reason) {
        throw new IllegalStateException("dirty row " + row + ": " + reason);
    }

    @Override
    public void reportDirty(String record, String reason) {
        throw new IllegalStateException("dirty row " + record + ": " + reason);
    }
}
