package dev.ferry.flink;

import dev.ferry.api.AttachedSource;
import dev.ferry.api.SourceReader;
import dev.ferry.api.data.RowBatch;
import dev.ferry.api.error.DirtyDataLimitException;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.job.DirtyDataPolicy;
import dev.ferry.api.job.DirtyRecord;
import dev.ferry.engine.Ticker;
import dev.ferry.engine.config.JobValidator;
import dev.ferry.engine.runtime.DirtyData;
import dev.ferry.engine.runtime.SplitFeed;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flink source reader that reads Ferry splits, one at a time, with readers attached to the
 * source's plan, and emits each as {@link Chunk}s: START, its batches, END. The writer of the
 * same operator chain commits the split while it takes END, so once END is emitted the reader
 * tells the enumerator the split is done (with the writer's counts) and asks for the next one.
 *
 * <p>The read runs on a thread of the reader's own ({@link SplitFeed}); {@link #pollNext} never
 * blocks. A failure that reading again may cure (a dropped connection) fails the task, and Flink
 * restarts it; any other failure, and one the enumerator reports, fails the job without restarts,
 * as a local run would end.
 *
 * <p>Threading: Flink calls every method on the task thread; the reading thread only signals.
 */
final class CopyReader implements org.apache.flink.api.connector.source.SourceReader<Chunk, FerrySplit> {

    private static final Logger LOG = LoggerFactory.getLogger(CopyReader.class);

    private final SourceReaderContext context;
    private final CopyJob job;
    private final Deque<FerrySplit> splits = new ArrayDeque<>();
    private final Chunk chunk = new Chunk();
    private final Object signalLock = new Object();
    private CompletableFuture<Void> available = new CompletableFuture<>();
    private boolean signalled;
    private final DirtyData dirty;
    private JobValidator.AttachableJob attachable;
    private Messages.Plans plans;
    /** The table the reader is attached to, with its attached source and its feed; -1 before the first. */
    private int attachedTable = -1;
    private AttachedSource attached;
    private SplitFeed feed;
    private FerrySplit currentSplit;
    private SplitRun current;
    private long dirtyBefore;
    private Messages.Failed failure;
    /** The current split exceeded the dirty-data limit; the enumerator's verdict, with the totals, is awaited. */
    private boolean awaitingVerdict;
    private CopyTotals totals;
    private boolean noMoreSplits;

    CopyReader(SourceReaderContext context, CopyJob job) {
        this.context = context;
        this.job = job;
        DirtyDataPolicy policy = job.spec().settings().dirtyData();
        // Every parallel reader keeps its own file of dirty records, beside the configured one.
        String file = policy.file() == null ? null : policy.file() + "." + context.getIndexOfSubtask();
        this.dirty = new DirtyData(new DirtyDataPolicy(policy.maxRecords(), policy.maxPercent(), file),
                attachable().redaction());
    }

    private JobValidator.AttachableJob attachable() {
        if (attachable == null) {
            attachable = job.attachable(CopyReader.class.getClassLoader());
        }
        return attachable;
    }

    @Override
    public void start() {
        context.sendSplitRequest();
    }

    @Override
    public void addSplits(List<FerrySplit> added) {
        splits.addAll(added);
        signal();
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        signal();
    }

    @Override
    public void handleSourceEvents(SourceEvent event) {
        if (event instanceof Messages.Plans p) {
            plans = p;
        } else if (event instanceof Messages.Failed f) {
            failure = f;
        } else if (event instanceof Messages.Done d) {
            totals = d.totals();
        } else {
            LOG.warn("Job '{}': unknown event from the enumerator: {}", job.name(), event);
        }
        signal();
    }

    @Override
    public InputStatus pollNext(ReaderOutput<Chunk> output) throws Exception {
        if (failure != null) {
            abandon(output);
            throw new SuppressRestartsException(new StageFailure(failure.stage(), failure.message(), failure.totals()));
        }
        if (totals != null) {
            output.collect(chunk.totals(totals));
            totals = null;
            return InputStatus.MORE_AVAILABLE;
        }
        if (current != null) {
            return pollSplit(output);
        }
        if (awaitingVerdict) {
            return InputStatus.NOTHING_AVAILABLE;
        }
        if (plans != null && !splits.isEmpty()) {
            startSplit(output, splits.poll());
            return InputStatus.MORE_AVAILABLE;
        }
        if (noMoreSplits && splits.isEmpty()) {
            return InputStatus.END_OF_INPUT;
        }
        return InputStatus.NOTHING_AVAILABLE;
    }

    private void startSplit(ReaderOutput<Chunk> output, FerrySplit next) {
        Messages.TablePlans table = plans.tables().get(next.table());
        if (next.table() != attachedTable) {
            attach(next.table(), table);
        }
        SourceReader reader = attached.createReader(next.split());
        currentSplit = next;
        current = new SplitRun(next.table(), next.split(), 1, table.target(), dirty);
        dirtyBefore = dirty.count();
        try {
            output.collect(chunk.set(Chunk.Kind.START, current, null));
        } catch (RuntimeException e) {
            current = null;
            reader.close();
            throw failed(e);
        }
        feed.start(reader, next.split(), 1);
    }

    /**
     * Attaches to table {@code index}'s source plan, letting go of the previous table's: splits come
     * table after table, so a reader holds one table's connections at a time.
     */
    private void attach(int index, Messages.TablePlans table) {
        if (feed != null) {
            feed.close();
            feed = null;
        }
        if (attached != null) {
            attached.close();
            attached = null;
        }
        JobValidator.AttachableJob blocks = attachable();
        attached = blocks.source().attachSource(blocks.sourceConfig(), table.source(), job.context("reader "
                + context.getIndexOfSubtask()));
        feed = new SplitFeed(table.source().schema(), job.spec().settings().buffer(), job.rateShare(), dirty,
                Ticker.system(), "ferry-" + job.name() + "-reader-" + context.getIndexOfSubtask(), this::signal);
        attachedTable = index;
    }

    private InputStatus pollSplit(ReaderOutput<Chunk> output) {
        RowBatch batch;
        try {
            batch = feed.poll();
        } catch (RuntimeException e) {
            return splitFailed(output, e);
        }
        if (batch != null) {
            try {
                output.collect(chunk.set(Chunk.Kind.ROWS, current, batch));
            } catch (RuntimeException e) {
                return splitFailed(output, e);
            } finally {
                feed.release(batch);
            }
            return InputStatus.MORE_AVAILABLE;
        }
        if (!feed.exhausted()) {
            return InputStatus.NOTHING_AVAILABLE;
        }
        try {
            output.collect(chunk.set(Chunk.Kind.END, current, null));
        } catch (RuntimeException e) {
            return splitFailed(output, e);
        }
        if (!current.isCommitted()) {
            throw new SuppressRestartsException(new IllegalStateException("split " + current.split().id() + " reached "
                    + "the end of its operator chain without a Ferry writer committing it: a Ferry source must be "
                    + "chained to a Ferry sink"));
        }
        long splitDirty = dirty.count() - dirtyBefore;
        context.sendSourceEventToCoordinator(new Messages.SplitDone(currentSplit.splitId(), feed.recordsRead(),
                current.recordsWritten(), feed.bytes(), splitDirty, dirtySamples(splitDirty)));
        feed.end();
        current = null;
        context.sendSplitRequest();
        return InputStatus.MORE_AVAILABLE;
    }

    /** The current split's dirty records among the first ones kept, for the report. */
    private List<DirtyRecord> dirtySamples(long splitDirty) {
        String id = current.split().id();
        return splitDirty == 0 ? List.of() : dirty.samples().stream().filter(r -> r.split().equals(id)).toList();
    }

    /**
     * The current split failed. Past the dirty-data limit, the split's counts go to the enumerator,
     * which judges the limit for the whole job and fails it with everything counted, so the report
     * says how many records were dirty; any other failure is thrown at once.
     */
    private InputStatus splitFailed(ReaderOutput<Chunk> output, RuntimeException e) {
        if (current != null && org.apache.flink.util.ExceptionUtils.findThrowable(e, DirtyDataLimitException.class)
                .isPresent()) {
            long splitDirty = dirty.count() - dirtyBefore;
            context.sendSourceEventToCoordinator(new Messages.SplitDirty(currentSplit.splitId(), feed.recordsRead(),
                    feed.bytes(), splitDirty, dirtySamples(splitDirty)));
            abandon(output);
            awaitingVerdict = true;
            return InputStatus.NOTHING_AVAILABLE;
        }
        abandon(output);
        throw failed(e);
    }

    /** Tells the writer the current split failed, and stops reading it. */
    private void abandon(ReaderOutput<Chunk> output) {
        if (current == null) {
            return;
        }
        SplitRun failed = current;
        current = null;
        feed.end();
        try {
            output.collect(chunk.set(Chunk.Kind.ABORT, failed, null));
        } catch (RuntimeException e) {
            LOG.warn("Job '{}': aborting split {} in the writer failed: {}", job.name(), failed.split().id(), e.toString());
        }
    }

    /**
     * The exception that fails the task: one reading again may cure is thrown for Flink to restart
     * the task; any other (a bad value, a configuration, the dirty-data limit) fails the job.
     */
    static RuntimeException failed(RuntimeException e) {
        if (e instanceof SyncException s && s.isRetriable() && !(e instanceof DirtyDataLimitException)) {
            return e;
        }
        return new SuppressRestartsException(e);
    }

    /**
     * Empty: the enumerator keeps which splits each reader has not finished and hands them out
     * again when the reader fails or registers anew, after asking the target which of them
     * committed. A reader restored with splits of its own would copy a split committed after the
     * checkpoint once more.
     */
    @Override
    public List<FerrySplit> snapshotState(long checkpointId) {
        return List.of();
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        synchronized (signalLock) {
            if (signalled) {
                signalled = false;
                return CompletableFuture.completedFuture(null);
            }
            if (available.isDone()) {
                available = new CompletableFuture<>();
            }
            return available;
        }
    }

    /** Something changed (a batch, the end of a read, a split, an event): poll again. */
    private void signal() {
        CompletableFuture<Void> toComplete;
        synchronized (signalLock) {
            signalled = true;
            toComplete = available;
        }
        toComplete.complete(null);
    }

    @Override
    public void close() {
        if (feed != null) {
            feed.close();
        }
        if (attached != null) {
            attached.close();
        }
        dirty.close();
    }
}
