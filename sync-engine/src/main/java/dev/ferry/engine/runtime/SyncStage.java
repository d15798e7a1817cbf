package dev.ferry.engine.runtime;

import dev.ferry.api.JobContext;
import dev.ferry.api.Source;
import dev.ferry.api.SourceReader;
import dev.ferry.api.Split;
import dev.ferry.api.SupportsSplitRetry;
import dev.ferry.api.Target;
import dev.ferry.api.TargetWriter;
import dev.ferry.api.WriterContext;
import dev.ferry.api.data.RowBatch;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.CancelledException;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.job.DirtyRecord;
import dev.ferry.api.job.JobSettings;
import dev.ferry.api.state.StateStore;
import dev.ferry.engine.Ticker;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SYNC stage: N channels move the splits from the source to the target.
 *
 * <p>Design: each channel is a writer thread with its own {@link TargetWriter} and
 * {@link BatchQueue}, paired with a reader thread that runs one {@link SourceReader} at a time.
 * Splits wait in one shared queue and go to whichever channel is free, so a slow split never idles
 * the others. A split attempt that fails is aborted on both sides; it is read again only when the
 * error is retriable and the target promises {@link SupportsSplitRetry}, otherwise the first
 * failure stops every channel and becomes the job's error.
 */
final class SyncStage {

    private static final Logger LOG = LoggerFactory.getLogger(SyncStage.class);

    private final String jobName;
    private final Source source;
    private final Target target;
    private final TableSchema schema;
    private final JobSettings settings;
    private final JobContext jobContext;
    private final JobCounters counters;
    private final DirtyData dirty;
    private final RateLimiter limiter;
    private final Ticker ticker;
    private final int channels;
    private final ConcurrentLinkedQueue<Split> pending;
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

    SyncStage(String jobName, Source source, Target target, JobSettings settings, JobContext jobContext,
              JobCounters counters, DirtyData dirty, Ticker ticker, List<? extends Split> splits, int channels) {
        this.jobName = jobName;
        this.source = source;
        this.target = target;
        this.schema = source.schema();
        this.settings = settings;
        this.jobContext = jobContext;
        this.counters = counters;
        this.dirty = dirty;
        this.limiter = new RateLimiter(settings.rateLimit(), ticker);
        this.ticker = ticker;
        this.channels = channels;
        this.pending = new ConcurrentLinkedQueue<>(splits);
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

    /** Runs every split to completion, or throws the first failure. */
    void run() {
        ExecutorService channelThreads = Executors.newFixedThreadPool(channels, threads(jobName + "-channel"));
        ExecutorService readerThreads = Executors.newFixedThreadPool(channels, threads(jobName + "-reader"));
        try {
            Future<?>[] futures = new Future<?>[channels];
            for (int i = 0; i < channels; i++) {
                int index = i;
                queues[i] = new BatchQueue(schema, settings.buffer().records(), settings.buffer().bytes(),
                        settings.buffer().batchSize());
                futures[i] = channelThreads.submit(() -> runChannel(index, readerThreads));
            }
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

    /** Stops every channel promptly; the stage then fails with a {@link CancelledException}. */
    void cancel(String reason) {
        fail(new CancelledException(reason));
    }

    private void runChannel(int index, ExecutorService readerThreads) {
        ChannelContext context = new ChannelContext(index);
        try (TargetWriter writer = target.createWriter(context)) {
            Split split;
            while (!stopped && (split = pending.poll()) != null) {
                runSplit(index, split, writer, context, readerThreads);
            }
        } catch (Throwable t) {
            fail(t);
        }
    }

    private void runSplit(int index, Split split, TargetWriter writer, ChannelContext context,
                          ExecutorService readerThreads) {
        int maxAttempts = target instanceof SupportsSplitRetry ? settings.retry().maxAttempts() : 1;
        for (int attempt = 1; ; attempt++) {
            SplitAttempt state = new SplitAttempt(split, attempt);
            try {
                runAttempt(index, state, writer, context, readerThreads);
                splitRecords.put(split.id(), state.recordsRead);
                counters.splitDone();
                return;
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

    private void runAttempt(int index, SplitAttempt state, TargetWriter writer, ChannelContext context,
                            ExecutorService readerThreads) {
        BatchQueue queue = queues[index];
        queue.reset();
        if (stopped) {
            throw new CancelledException("job stopped");
        }
        SourceReader reader = source.createReader(state.split);
        activeReaders[index] = reader;
        int batchRecords = batchRecords(queue.batchSize());
        long batchBytes = Math.max(1, Math.min(queue.maxBytes() / 4,
                settings.rateLimit().bytesPerSecond() > 0 ? Math.max(1, settings.rateLimit().bytesPerSecond() / 10)
                        : Long.MAX_VALUE));
        context.attempt = state;
        progressed(index, state.split, "target");
        Future<?> readTask = readerThreads.submit(() -> {
            try (reader) {
                ChannelSink sink = new ChannelSink(queue, limiter, counters, dirty, state, batchRecords, batchBytes,
                        schema.arity());
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
            writer.finishSplit();
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

    private int batchRecords(int batchSize) {
        long rps = settings.rateLimit().recordsPerSecond();
        if (rps == 0) {
            return batchSize;
        }
        // With a records limit, hand over about a tenth of a second's worth at a time so the
        // limit is smooth instead of one burst per batch.
        return (int) Math.max(1, Math.min(batchSize, rps / 10));
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

    private static void awaitQuietly(Future<?> task) {
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

    /** The writer's view of its channel: job facts plus dirty reporting for the current attempt. */
    private final class ChannelContext implements WriterContext {

        private final int channel;
        SplitAttempt attempt;
        int batchDirty;

        ChannelContext(int channel) {
            this.channel = channel;
        }

        @Override
        public int channel() {
            return channel;
        }

        @Override
        public void reportDirty(RowBatch batch, int row, String reason) {
            SplitAttempt current = attempt;
            batchDirty++;
            if (current != null) {
                current.dirtyWritten++;
            }
            dirty.add(new DirtyRecord(current == null ? "" : current.split.id(), current == null ? 0 : current.attempt,
                    "write", reason, DirtyData.render(batch, row)));
        }

        @Override
        public String jobName() {
            return jobContext.jobName();
        }

        @Override
        public int concurrency() {
            return jobContext.concurrency();
        }

        @Override
        public void warn(String message) {
            jobContext.warn(message);
        }

        @Override
        public StateStore stateStore() {
            return jobContext.stateStore();
        }
    }
}
