package dev.ferry.engine.runtime;

import dev.ferry.api.JobContext;
import dev.ferry.api.Source;
import dev.ferry.api.SourceReader;
import dev.ferry.api.Split;
import dev.ferry.api.SupportsSplitRetry;
import dev.ferry.api.Target;
import dev.ferry.api.TargetWriter;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.CancelledException;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.job.DirtyRecord;
import dev.ferry.api.job.JobSettings;
import dev.ferry.engine.Ticker;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SYNC stage: N channels move the splits from the source to the target, or from several
 * sources to their targets (the tables of a snapshot, copied at once).
 *
 * <p>Design: each channel is a writer thread with a {@link TargetWriter} and a {@link BatchQueue},
 * paired with a reader thread that runs one {@link SourceReader} at a time. Splits wait in one
 * shared queue, table after table, and go to whichever channel is free, so a slow split never idles
 * the others. A channel keeps its writer while it takes splits of the same table and closes it
 * when it moves to another table or runs out of splits. A split attempt that fails is aborted on
 * both sides; it is read again only when the error is retriable and the target promises
 * {@link SupportsSplitRetry}, otherwise the first failure stops every channel and becomes the
 * stage's error.
 *
 * <p>With several tables, a {@link Listener} learns on the driver thread (the one in {@link #run})
 * when a split is done and when a table is done: every split finished and every writer of it
 * closed, so its target can be committed while the other tables go on.
 */
final class SyncStage {

    private static final Logger LOG = LoggerFactory.getLogger(SyncStage.class);

    private final String jobName;
    private final List<Table> tables;
    private final Listener listener;
    private final JobSettings settings;
    private final JobContext jobContext;
    private final JobCounters counters;
    private final DirtyData dirty;
    private final RateLimiter limiter;
    private final Ticker ticker;
    private final int channels;
    private final ConcurrentLinkedQueue<Work> pending = new ConcurrentLinkedQueue<>();
    /** What channels tell the driver thread: a split or a table done, a channel ended. */
    private final LinkedBlockingQueue<Runnable> events = new LinkedBlockingQueue<>();
    private final Map<String, Long> splitRecords = new ConcurrentHashMap<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final BatchQueue[] queues;
    private final SourceReader[] activeReaders;
    /** Per channel: the split in progress, when it last moved, and which side it waits on. */
    private final Split[] activeSplits;
    private final long[] lastProgressNanos;
    private final String[] waitingOn;
    private final long[] lastStallWarningNanos;
    private volatile boolean stopped;

    /** One table's splits, from {@code source} (prepared) to {@code target} (prepared). */
    SyncStage(String jobName, Source source, Target target, JobSettings settings, JobContext jobContext,
              JobCounters counters, DirtyData dirty, Ticker ticker, List<? extends Split> splits, int channels) {
        this(jobName, List.of(new Table(jobName, source, target, splits)), Listener.NONE, settings,
                jobContext, counters, dirty, ticker, channels);
    }

    /** The splits of every table, table after table, through one set of channels. */
    SyncStage(String jobName, List<Table> tables, Listener listener, JobSettings settings, JobContext jobContext,
              JobCounters counters, DirtyData dirty, Ticker ticker, int channels) {
        this.jobName = jobName;
        this.tables = List.copyOf(tables);
        this.listener = listener;
        this.settings = settings;
        this.jobContext = jobContext;
        this.counters = counters;
        this.dirty = dirty;
        this.limiter = new RateLimiter(settings.rateLimit(), ticker);
        this.ticker = ticker;
        this.channels = channels;
        for (Table table : this.tables) {
            table.splits.forEach(split -> pending.add(new Work(table, split)));
        }
        this.queues = new BatchQueue[channels];
        this.activeReaders = new SourceReader[channels];
        this.activeSplits = new Split[channels];
        this.lastProgressNanos = new long[channels];
        this.waitingOn = new String[channels];
        this.lastStallWarningNanos = new long[channels];
    }

    /** Records each finished split moved, by split id. */
    Map<String, Long> splitRecords() {
        return splitRecords;
    }

    /**
     * Runs every split to completion, or throws the first failure. The calling thread delivers the
     * {@link Listener}'s calls meanwhile; one that throws fails the stage.
     */
    void run() {
        ExecutorService channelThreads = Executors.newFixedThreadPool(channels, threads(jobName + "-channel"));
        ExecutorService readerThreads = Executors.newFixedThreadPool(channels, threads(jobName + "-reader"));
        try {
            Future<?>[] futures = new Future<?>[channels];
            TableSchema first = tables.get(0).schema;
            for (int i = 0; i < channels; i++) {
                int index = i;
                queues[i] = newQueue(first);
                futures[i] = channelThreads.submit(() -> runChannel(index, readerThreads));
            }
            for (Table table : tables) {
                if (table.splits.isEmpty()) {
                    events.add(() -> listener.tableDone(table));
                }
            }
            deliverEvents();
            for (Future<?> future : futures) {
                awaitQuietly(future);
            }
        } finally {
            channelThreads.shutdownNow();
            readerThreads.shutdownNow();
        }
        Throwable error = failure.get();
        if (error != null) {
            throw BatchQueue.asSyncException(error);
        }
    }

    /** Runs what the channels report until every channel has ended. */
    private void deliverEvents() {
        int ended = 0;
        while (ended < channels || !events.isEmpty()) {
            Runnable event;
            try {
                event = events.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(new CancelledException("interrupted while copying"));
                return;
            }
            if (event == CHANNEL_ENDED) {
                ended++;
            } else {
                // Also after a failure: what was written before it is kept as done.
                try {
                    event.run();
                } catch (Throwable t) {
                    fail(t);
                }
            }
        }
    }

    private static final Runnable CHANNEL_ENDED = () -> { };

    private BatchQueue newQueue(TableSchema schema) {
        return new BatchQueue(schema, settings.buffer().records(), settings.buffer().bytes(), settings.buffer().batchSize());
    }

    /** Stops every channel promptly; the stage then fails with a {@link CancelledException}. */
    void cancel(String reason) {
        fail(new CancelledException(reason));
    }

    private void runChannel(int index, ExecutorService readerThreads) {
        ChannelContext context = new ChannelContext(index);
        Table table = null;
        TargetWriter writer = null;
        try {
            Work work;
            while (!stopped && (work = pending.poll()) != null) {
                if (work.table != table) {
                    TargetWriter previous = writer;
                    writer = null;
                    closeWriter(table, previous);
                    table = work.table;
                    if (queues[index].schema() != table.schema) {
                        queues[index] = newQueue(table.schema);
                    }
                    Table starting = table;
                    if (starting.writerOpened()) {
                        events.add(() -> listener.tableStarted(starting));
                    }
                    writer = table.target.createWriter(context);
                }
                long records = runSplit(index, work, writer, context, readerThreads);
                Table done = table;
                Split split = work.split;
                done.splitFinished();
                events.add(() -> listener.splitDone(done, split, records));
            }
            TargetWriter last = writer;
            writer = null;
            closeWriter(table, last);
        } catch (Throwable t) {
            fail(t);
            if (writer != null) {
                try {
                    writer.close();
                } catch (Throwable suppressed) {
                    LOG.debug("Job '{}': closing a writer after a failure failed", jobName, suppressed);
                }
            }
        } finally {
            events.add(CHANNEL_ENDED);
        }
    }

    /** Closes a channel's writer of {@code table}; the table is done when it was its last. */
    private void closeWriter(Table table, TargetWriter writer) {
        if (writer == null) {
            return;
        }
        writer.close();
        if (table.writerClosed()) {
            events.add(() -> listener.tableDone(table));
        }
    }

    /** Runs one split, retrying it when allowed; returns the records it read. */
    private long runSplit(int index, Work work, TargetWriter writer, ChannelContext context,
                          ExecutorService readerThreads) {
        Split split = work.split;
        Target target = work.table.target;
        int maxAttempts = target instanceof SupportsSplitRetry ? settings.retry().maxAttempts() : 1;
        for (int attempt = 1; ; attempt++) {
            SplitAttempt state = new SplitAttempt(split, attempt);
            try {
                runAttempt(index, work.table, state, writer, context, readerThreads);
                splitRecords.put(split.id(), state.recordsRead);
                counters.splitDone();
                return state.recordsRead;
            } catch (Throwable t) {
                takeBack(state);
                SyncException error = BatchQueue.asSyncException(t);
                if (stopped || !error.isRetriable() || attempt >= maxAttempts) {
                    if (error.isRetriable() && !(target instanceof SupportsSplitRetry)) {
                        LOG.warn("Job '{}': split {} failed with a retriable error, but the target cannot redo a split "
                                + "without duplicates, so it is not retried", jobName, split.id());
                    }
                    throw error;
                }
                long backoff = settings.retry().backoffBefore(attempt + 1);
                LOG.warn("Job '{}': split {} attempt {} of {} failed: {}; retrying in {} ms", jobName, split.id(),
                        attempt, maxAttempts, error.getMessage(), backoff);
                try {
                    ticker.sleepNanos(TimeUnit.MILLISECONDS.toNanos(backoff));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CancelledException("interrupted while waiting to retry split " + split.id());
                }
            }
        }
    }

    private void runAttempt(int index, Table table, SplitAttempt state, TargetWriter writer, ChannelContext context,
                            ExecutorService readerThreads) {
        BatchQueue queue = queues[index];
        queue.reset();
        if (stopped) {
            throw new CancelledException("job stopped");
        }
        SourceReader reader = table.source.createReader(state.split);
        activeReaders[index] = reader;
        context.attempt = state;
        progressed(index, state.split, "target");
        Future<?> readTask = readerThreads.submit(() -> {
            try (reader) {
                ChannelSink sink = ChannelSink.forAttempt(queue, limiter, settings.rateLimit(), counters, dirty, state);
                reader.read(sink);
                sink.flush();
                queue.finish();
            } catch (Throwable t) {
                queue.fail(t);
            }
        });
        boolean started = false;
        try {
            writer.startSplit(state.split);
            started = true;
            waitsOn(index, "source");
            ColumnarBatch batch;
            while (true) {
                if ((batch = queue.take()) == null) {
                    break;
                }
                progressed(index, state.split, "target");
                context.batchDirty = 0;
                writer.write(batch);
                long written = batch.size - context.batchDirty;
                state.recordsWritten += written;
                counters.written(written);
                queue.release(batch);
                progressed(index, state.split, "source");
            }
            awaitReader(readTask);
            progressed(index, state.split, "target");
            // A writer may learn only now that rows of earlier batches were refused (a bulk load
            // that the server checks at its end): those are taken out of the written count.
            context.batchDirty = 0;
            writer.finishSplit();
            state.recordsWritten -= context.batchDirty;
            counters.written(-context.batchDirty);
        } catch (Throwable t) {
            queue.abort("split " + state.split.id() + " failed");
            reader.cancel();
            awaitQuietly(readTask);
            if (started) {
                try {
                    writer.abortSplit();
                } catch (Throwable suppressed) {
                    t.addSuppressed(suppressed);
                }
            }
            throw t;
        } finally {
            activeReaders[index] = null;
            activeSplits[index] = null;
            context.attempt = null;
        }
    }

    /**
     * Channel {@code index} moved on with {@code split} (an attempt began, a batch arrived, a write
     * returned) and now waits on {@code side}.
     */
    private void progressed(int index, Split split, String side) {
        synchronized (lastProgressNanos) {
            activeSplits[index] = split;
            waitingOn[index] = side;
            lastProgressNanos[index] = ticker.nanoTime();
            lastStallWarningNanos[index] = 0;
        }
    }

    /** Channel {@code index} now waits on {@code side}; no record moved, so its clock runs on. */
    private void waitsOn(int index, String side) {
        synchronized (lastProgressNanos) {
            waitingOn[index] = side;
        }
    }

    /**
     * The splits that made no progress for at least {@code stallNanos} and were not reported in
     * the last {@code stallNanos}; called from the progress timer.
     */
    List<Stall> stalled(long stallNanos) {
        long now = ticker.nanoTime();
        List<Stall> stalled = new java.util.ArrayList<>();
        synchronized (lastProgressNanos) {
            for (int i = 0; i < channels; i++) {
                Split split = activeSplits[i];
                if (split != null && now - lastProgressNanos[i] >= stallNanos
                        && (lastStallWarningNanos[i] == 0 || now - lastStallWarningNanos[i] >= stallNanos)) {
                    lastStallWarningNanos[i] = now;
                    stalled.add(new Stall(split.id(), waitingOn[i], TimeUnit.NANOSECONDS.toMillis(now - lastProgressNanos[i])));
                }
            }
        }
        return stalled;
    }

    /** A stalled split: its id, the side it waits on, for how long. */
    record Stall(String split, String side, long millis) {
    }

    private void takeBack(SplitAttempt state) {
        counters.takeBack(state);
        dirty.retract(state.dirtyRead + state.dirtyWritten);
    }

    private void fail(Throwable t) {
        if (failure.compareAndSet(null, t)) {
            stopped = true;
            for (BatchQueue queue : queues) {
                if (queue != null) {
                    queue.abort(t instanceof CancelledException ? t.getMessage() : "another split failed");
                }
            }
            for (SourceReader reader : activeReaders) {
                if (reader != null) {
                    try {
                        reader.cancel();
                    } catch (RuntimeException e) {
                        LOG.debug("cancelling a reader failed", e);
                    }
                }
            }
        } else if (failure.get() != t && !(t instanceof CancelledException)) {
            LOG.debug("Job '{}': further failure after the first: {}", jobName, t.toString());
        }
    }

    private static void awaitReader(Future<?> task) {
        try {
            task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledException("interrupted while waiting for the reader");
        } catch (ExecutionException e) {
            throw BatchQueue.asSyncException(e.getCause());
        }
    }

    /** Waits for {@code task} to end, whatever its outcome, keeping the thread's interrupt. */
    static void awaitQuietly(Future<?> task) {
        boolean interrupted = false;
        while (true) {
            try {
                task.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (Exception e) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "ferry-" + prefix + "-" + counter.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * One table of the stage: a prepared source, a prepared target and the splits to run. It is
     * done when every split finished and every channel closed its writer of it.
     */
    static final class Table {

        final String label;
        final Source source;
        final Target target;
        final TableSchema schema;
        final List<? extends Split> splits;
        private int unfinishedSplits;
        private int openWriters;
        private boolean started;

        Table(String label, Source source, Target target, List<? extends Split> splits) {
            this.label = label;
            this.source = source;
            this.target = target;
            this.schema = source.schema();
            this.splits = List.copyOf(splits);
            this.unfinishedSplits = this.splits.size();
        }

        /** @return true for the table's first writer */
        synchronized boolean writerOpened() {
            openWriters++;
            boolean first = !started;
            started = true;
            return first;
        }

        synchronized void splitFinished() {
            unfinishedSplits--;
        }

        /** @return true when this was the last writer and no split is left */
        synchronized boolean writerClosed() {
            openWriters--;
            return openWriters == 0 && unfinishedSplits == 0;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** One split of one table, waiting for a channel. */
    private record Work(Table table, Split split) {
    }

    /** What the driver thread learns while the channels copy; called only from {@link #run}. */
    interface Listener {

        Listener NONE = new Listener() {
        };

        /** A channel takes the first split of {@code table}. */
        default void tableStarted(Table table) {
        }

        /** {@code split} of {@code table} is written (its writer's {@code finishSplit} returned). */
        default void splitDone(Table table, Split split, long records) {
        }

        /** Every split of {@code table} is written and its writers are closed. */
        default void tableDone(Table table) {
        }
    }

    /** The writer's view of its channel: job facts plus dirty reporting for the current attempt. */
    private final class ChannelContext extends ChannelWriterContext {

        SplitAttempt attempt;
        int batchDirty;

        ChannelContext(int channel) {
            super(jobContext, channel);
        }

        /**
         * Counted against the call that reports it: a row of an earlier batch refused during a
         * later {@code write} or {@code finishSplit} comes off that call's written count.
         */
        @Override
        public void reportDirty(String record, String reason) {
            SplitAttempt current = attempt;
            batchDirty++;
            if (current != null) {
                current.dirtyWritten++;
            }
            dirty.add(new DirtyRecord(current == null ? "" : current.split.id(), current == null ? 0 : current.attempt,
                    "write", reason, record));
        }
    }
}
