package dev.ferry.engine.runtime;

import dev.ferry.api.SourceReader;
import dev.ferry.api.Split;
import dev.ferry.api.data.RowBatch;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.job.BufferSettings;
import dev.ferry.api.job.RateLimit;
import dev.ferry.engine.Ticker;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads one split at a time, on a thread of its own, into the engine's reusable columnar batches,
 * for a runner whose writing side must not block while it waits for them: a distributed engine's
 * source operator, which polls on its task thread. The batches, the back-pressure (bounded by
 * {@code settings.buffer} in records and bytes), the rate limit and the dirty-data handling are a
 * local channel's.
 *
 * <p>Lifecycle: {@link #start} a split; {@link #poll} and {@link #release} its batches until
 * {@link #exhausted}; {@link #end} it (also to abandon it midway); then the next split.
 * {@link #close} once. The listener given to the constructor is told, on the reading thread, each
 * time there may be something new to poll.
 *
 * <p>Threading: every method but the listener's calls from one consumer thread.
 */
public final class SplitFeed implements AutoCloseable {

    private final BatchQueue queue;
    private final RateLimiter limiter;
    private final RateLimit limit;
    private final DirtyData dirty;
    private final JobCounters counters = new JobCounters();
    private final ExecutorService thread;
    private SplitAttempt attempt;
    private SourceReader reader;
    private Future<?> reading;

    /**
     * @param limit    this reader's share of the job's rate limit
     * @param dirty    where dirty records read are counted and kept
     * @param onChange told on the reading thread when a batch is ready or the split ended
     */
    public SplitFeed(TableSchema schema, BufferSettings buffer, RateLimit limit, DirtyData dirty, Ticker ticker,
                     String threadName, Runnable onChange) {
        this.queue = new BatchQueue(schema, buffer.records(), buffer.bytes(), buffer.batchSize());
        this.queue.onChange(onChange);
        this.limiter = new RateLimiter(limit, ticker);
        this.limit = limit;
        this.dirty = dirty;
        this.thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts reading {@code split} with {@code reader}, which the feed closes when the read ends. */
    public void start(SourceReader reader, Split split, int attemptNumber) {
        if (reading != null) {
            throw new IllegalStateException("split " + attempt.split.id() + " has not ended");
        }
        queue.reset();
        SplitAttempt state = new SplitAttempt(split, attemptNumber);
        ChannelSink sink = ChannelSink.forAttempt(queue, limiter, limit, counters, dirty, state);
        this.attempt = state;
        this.reader = reader;
        this.reading = thread.submit(() -> {
            try (reader) {
                reader.read(sink);
                sink.flush();
                queue.finish();
            } catch (Throwable t) {
                queue.fail(t);
            }
        });
    }

    /**
     * The next batch read, or null when none is ready yet or the split is {@link #exhausted}. The
     * batch is valid until {@link #release}.
     *
     * @throws dev.ferry.api.error.SyncException the reader's failure, as soon as it is known
     */
    public RowBatch poll() {
        return queue.poll();
    }

    /** Gives a polled batch's memory back for the reader to fill again. */
    public void release(RowBatch batch) {
        queue.release((ColumnarBatch) batch);
    }

    /** The split is read to its end and every batch of it was polled. */
    public boolean exhausted() {
        return queue.exhausted();
    }

    /**
     * Ends the current split: when it is not exhausted the read is cancelled; returns once the
     * reading thread let go of it. Does nothing without a split.
     */
    public void end() {
        if (reading == null) {
            return;
        }
        if (!queue.exhausted()) {
            queue.abort("split " + attempt.split.id() + " was abandoned");
            reader.cancel();
        }
        SyncStage.awaitQuietly(reading);
        reading = null;
        reader = null;
    }

    /** Records the current split read so far, dirty ones included. */
    public long recordsRead() {
        return attempt == null ? 0 : attempt.recordsRead;
    }

    /** Bytes of the records the current split read so far. */
    public long bytes() {
        return attempt == null ? 0 : attempt.bytes;
    }

    /** Dirty records the current split read so far. */
    public long dirtyRead() {
        return attempt == null ? 0 : attempt.dirtyRead;
    }

    /** Ends the current split and stops the reading thread; idempotent. */
    @Override
    public void close() {
        end();
        thread.shutdownNow();
    }
}
