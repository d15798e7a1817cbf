package dev.ferry.engine.testing;

import dev.ferry.api.WriterContext;
import dev.ferry.api.data.RowBatch;
import dev.ferry.api.error.DirtyDataLimitException;
import dev.ferry.api.state.StateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link WriterContext} (and so a {@code JobContext}) that records warnings and dirty reports,
 * with an in-memory state store. For source and target unit tests.
 */
public final class RecordingContext implements WriterContext {

    /**
     * A dirty report: the row's values in object form (empty when the writer reported the record's
     * text form instead), that text form (null when it reported values) and the reason.
     */
    public record DirtyRow(List<Object> values, String record, String reason) {

        public DirtyRow(List<Object> values, String reason) {
            this(values, null, reason);
        }
    }

    private final String jobName;
    private final int concurrency;
    private final int channel;
    private final long maxDirty;
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final List<DirtyRow> dirty = new CopyOnWriteArrayList<>();
    private final StateStore state = new dev.ferry.engine.state.InMemoryStateStore();

    public RecordingContext(String jobName, int concurrency) {
        this(jobName, concurrency, 0, Long.MAX_VALUE);
    }

    public RecordingContext(String jobName, int concurrency, int channel, long maxDirty) {
        this.jobName = jobName;
        this.concurrency = concurrency;
        this.channel = channel;
        this.maxDirty = maxDirty;
    }

    public List<String> warnings() {
        return warnings;
    }

    public List<DirtyRow> dirty() {
        return dirty;
    }

    @Override
    public String jobName() {
        return jobName;
    }

    @Override
    public int concurrency() {
        return concurrency;
    }

    @Override
    public void warn(String message) {
        warnings.add(message);
    }

    @Override
    public StateStore stateStore() {
        return state;
    }

    @Override
    public int channel() {
        return channel;
    }

    @Override
    public void reportDirty(RowBatch batch, int row, String reason) {
        List<Object> values = new ArrayList<>();
        for (int c = 0; c < batch.schema().arity(); c++) {
            values.add(batch.getObject(row, c));
        }
        add(new DirtyRow(values, reason));
    }

    @Override
    public void reportDirty(String record, String reason) {
        add(new DirtyRow(List.of(), record, reason));
    }

    private void add(DirtyRow row) {
        dirty.add(row);
        if (dirty.size() > maxDirty) {
            throw new DirtyDataLimitException("dirty records " + dirty.size() + " exceed " + maxDirty);
        }
    }
}
