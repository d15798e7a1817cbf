package dev.ferry.engine.runtime;

import dev.ferry.api.data.RecordSink;
import dev.ferry.api.job.RateLimit;
import dev.ferry.api.job.DirtyRecord;
import java.math.BigDecimal;

/**
 * The {@link RecordSink} a reader fills: values go straight into the current
 * {@link ColumnarBatch}'s arrays, and a full batch is published to the channel's
 * {@link BatchQueue} after the job's {@link RateLimiter} admits it. The per-record path is a few
 * array stores and a counter; everything else happens once per batch.
 *
 * <p>Threading: used by one reader thread.
 */
final class ChannelSink implements RecordSink {

    private static final int OBJECT_OVERHEAD = 16;

    private final BatchQueue queue;
    private final RateLimiter limiter;
    private final JobCounters counters;
    private final DirtyData dirty;
    private final SplitAttempt attempt;
    private final int batchRecords;
    private final long batchBytes;
    private final int arity;
    private ColumnarBatch batch;
    private long[] longs;
    private Object[] objects;
    private boolean[] nulls;
    private int row;
    private int base;
    private int rowBytes;

    ChannelSink(BatchQueue queue, RateLimiter limiter, JobCounters counters, DirtyData dirty, SplitAttempt attempt,
                int batchRecords, long batchBytes, int arity) {
        this.queue = queue;
        this.limiter = limiter;
        this.counters = counters;
        this.dirty = dirty;
        this.attempt = attempt;
        this.batchRecords = batchRecords;
        this.batchBytes = batchBytes;
        this.arity = arity;
        nextBatch();
    }

    /**
     * A sink for one attempt of a split: batches of the queue's size, or with a records limit about a
     * tenth of a second's worth so the limit is smooth instead of one burst per batch; and of at
     * most a quarter of the queue's bytes (a tenth of a second's worth with a bytes limit).
     */
    static ChannelSink forAttempt(BatchQueue queue, RateLimiter limiter, RateLimit limit, JobCounters counters,
                                  DirtyData dirty, SplitAttempt attempt) {
        long rps = limit.recordsPerSecond();
        int batchRecords = rps == 0 ? queue.batchSize() : (int) Math.max(1, Math.min(queue.batchSize(), rps / 10));
        long batchBytes = Math.max(1, Math.min(queue.maxBytes() / 4,
                limit.bytesPerSecond() > 0 ? Math.max(1, limit.bytesPerSecond() / 10) : Long.MAX_VALUE));
        return new ChannelSink(queue, limiter, counters, dirty, attempt, batchRecords, batchBytes,
                queue.schema().arity());
    }

    @Override
    public void setNull(int column) {
        nulls[base + column] = true;
        rowBytes += 1;
    }

    @Override
    public void setBoolean(int column, boolean value) {
        longs[base + column] = value ? 1 : 0;
        nulls[base + column] = false;
        rowBytes += 1;
    }

    @Override
    public void setLong(int column, long value) {
        longs[base + column] = value;
        nulls[base + column] = false;
        rowBytes += 8;
    }

    @Override
    public void setDouble(int column, double value) {
        longs[base + column] = Double.doubleToRawLongBits(value);
        nulls[base + column] = false;
        rowBytes += 8;
    }

    @Override
    public void setObject(int column, Object value) {
        if (value == null) {
            setNull(column);
            return;
        }
        objects[base + column] = value;
        nulls[base + column] = false;
        rowBytes += sizeOf(value);
    }

    @Override
    public void emit() {
        batch.rowBytes[row] = rowBytes;
        batch.bytes += rowBytes;
        rowBytes = 0;
        row++;
        base += arity;
        if (row == batchRecords || batch.bytes >= batchBytes) {
            flush();
        }
    }

    @Override
    public void dirty(String reason, String raw) {
        rowBytes = 0;
        attempt.recordsRead++;
        attempt.dirtyRead++;
        counters.readDirty();
        dirty.add(new DirtyRecord(attempt.split.id(), attempt.attempt, "read", reason, raw));
    }

    /** Publishes the partly filled batch, if any; called after the reader returns. */
    void flush() {
        if (row == 0) {
            return;
        }
        batch.size = row;
        long batchBytesNow = batch.bytes;
        attempt.recordsRead += row;
        attempt.bytes += batchBytesNow;
        counters.read(row, batchBytesNow);
        limiter.acquire(row, batchBytesNow);
        queue.publish(batch);
        nextBatch();
    }

    private void nextBatch() {
        batch = queue.borrow();
        longs = batch.longs;
        objects = batch.objects;
        nulls = batch.nulls;
        row = 0;
        base = 0;
        rowBytes = 0;
    }

    static int sizeOf(Object value) {
        if (value instanceof String s) {
            return s.length();
        }
        if (value instanceof byte[] b) {
            return b.length;
        }
        if (value instanceof BigDecimal d) {
            return d.precision() / 2 + OBJECT_OVERHEAD / 2;
        }
        return OBJECT_OVERHEAD;
    }
}
