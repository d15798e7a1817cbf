package dev.ferry.engine.testing;

import dev.ferry.api.JobContext;
import dev.ferry.api.Split;
import dev.ferry.api.SupportsSplitRetry;
import dev.ferry.api.Target;
import dev.ferry.api.TargetWriter;
import dev.ferry.api.WriterContext;
import dev.ferry.api.data.RowBatch;
import dev.ferry.api.data.TableSchema;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongPredicate;

/**
 * A target that keeps the {@code id} (column 0) of every committed row, split by split, and
 * records its lifecycle calls. A split's rows become visible only at {@code finishSplit};
 * {@code abortSplit} drops them, as a transactional target would.
 */
public class TestTarget implements Target {

    private final Map<String, List<Long>> committed = new ConcurrentHashMap<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private LongPredicate dirtyRow = id -> false;
    private LongPredicate dirtyAtFinish = id -> false;
    private volatile WriteHook hook = (batch, channel) -> { };
    private RuntimeException prepareFailure;
    private RuntimeException postFailure;

    /** Called at the start of every write; may block or throw. */
    @FunctionalInterface
    public interface WriteHook {
        void beforeWrite(RowBatch batch, int channel) throws InterruptedException;
    }

    /** A TestTarget that promises split retry. */
    public static final class Retrying extends TestTarget implements SupportsSplitRetry {
    }

    public TestTarget dirtyWhen(LongPredicate predicate) {
        this.dirtyRow = predicate;
        return this;
    }

    /**
     * Rows whose id matches are refused only at {@code finishSplit}, reported by their text form
     * {@code {"id": N}}, as a bulk loader that learns of bad rows after their batch would.
     */
    public TestTarget dirtyAtFinishWhen(LongPredicate predicate) {
        this.dirtyAtFinish = predicate;
        return this;
    }

    public TestTarget onWrite(WriteHook writeHook) {
        this.hook = writeHook;
        return this;
    }

    public TestTarget failPrepare(RuntimeException e) {
        this.prepareFailure = e;
        return this;
    }

    public TestTarget failPost(RuntimeException e) {
        this.postFailure = e;
        return this;
    }

    /** Every committed id, sorted. */
    public List<Long> committedIds() {
        List<Long> all = new ArrayList<>();
        committed.values().forEach(all::addAll);
        Collections.sort(all);
        return all;
    }

    public Map<String, List<Long>> committedBySplit() {
        return committed;
    }

    /** Lifecycle calls in order: prepare, commit, post, abort, close. */
    public List<String> calls() {
        return calls;
    }

    @Override
    public void prepare(JobContext context, TableSchema sourceSchema) {
        calls.add("prepare");
        if (prepareFailure != null) {
            throw prepareFailure;
        }
    }

    @Override
    public TargetWriter createWriter(WriterContext context) {
        return new TargetWriter() {
            private Split split;
            private List<Long> pending;

            @Override
            public void startSplit(Split s) {
                split = s;
                pending = new ArrayList<>();
            }

            @Override
            public void write(RowBatch batch) {
                try {
                    hook.beforeWrite(batch, context.channel());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new dev.ferry.api.error.CancelledException("interrupted");
                }
                for (int row = 0; row < batch.size(); row++) {
                    long id = batch.getLong(row, 0);
                    if (dirtyRow.test(id)) {
                        context.reportDirty(batch, row, "id " + id + " refused by design");
                    } else {
                        pending.add(id);
                    }
                }
            }

            @Override
            public void finishSplit() {
                for (java.util.Iterator<Long> ids = pending.iterator(); ids.hasNext(); ) {
                    long id = ids.next();
                    if (dirtyAtFinish.test(id)) {
                        ids.remove();
                        context.reportDirty("{\"id\": " + id + "}", "id " + id + " refused at the end of the split");
                    }
                }
                commitSplit(split, pending);
                pending = null;
            }

            @Override
            public void abortSplit() {
                pending = null;
            }

            @Override
            public void close() {
            }
        };
    }

    /** Makes a finished split's ids visible; subclasses keep them elsewhere. */
    protected void commitSplit(Split split, List<Long> ids) {
        committed.merge(split.id(), ids, (a, b) -> {
            List<Long> merged = new ArrayList<>(a);
            merged.addAll(b);
            return merged;
        });
    }

    @Override
    public void commit() {
        calls.add("commit");
    }

    @Override
    public void post() {
        calls.add("post");
        if (postFailure != null) {
            throw postFailure;
        }
    }

    @Override
    public void abort() {
        calls.add("abort");
    }

    @Override
    public void close() {
        calls.add("close");
    }
}
