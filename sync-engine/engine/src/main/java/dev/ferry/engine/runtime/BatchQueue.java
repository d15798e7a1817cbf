package dev.ferry.engine.runtime;

import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.CancelledException;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded hand-off between one channel's reader thread and its writer thread.
 *
 * <p>Design: batches circulate between a free pool and a ready queue, so memory is allocated once
 * per channel and bounded by construction: at most {@code ceil(records / batchSize) + 2} batches
 * ever exist, and a reader blocks in {@link #publish} while the published-but-unwritten records or
 * bytes would exceed the bounds (one batch is always let through, so a single huge row cannot
 * deadlock). Locking happens once per batch, not per record.
 *
 * <p>Threading: one producer thread ({@link #borrow}, {@link #publish}, {@link #finish},
 * {@link #fail}) and one consumer thread ({@link #take}, {@link #release}); {@link #abort} may be
 * called from any thread.
 */
final class BatchQueue {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<ColumnarBatch> ready = new ArrayDeque<>();
    private final ArrayDeque<ColumnarBatch> free = new ArrayDeque<>();
    private final TableSchema schema;
    private final int batchSize;
    private final int maxBatches;
    private final int maxRecords;
    private final long maxBytes;
    private int allocated;
    /** The batch the producer is filling, if any: reclaimed by {@link #reset} when an attempt ends. */
    private ColumnarBatch lent;
    private long recordsInFlight;
    private long bytesInFlight;
    private long peakRecordsInFlight;
    private boolean finished;
    private Throwable failure;
    private String abortReason;
    /** Told, outside the lock, when there may be something new to {@link #poll}. */
    private volatile Runnable onChange = () -> { };

    BatchQueue(TableSchema schema, int maxRecords, long maxBytes, int batchSize) {
        this.schema = schema;
        this.batchSize = batchSize;
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
        this.maxBatches = (maxRecords + batchSize - 1) / batchSize + 2;
    }

    TableSchema schema() {
        return schema;
    }

    int batchSize() {
        return batchSize;
    }

    long maxBytes() {
        return maxBytes;
    }

    /** Producer: an empty batch to fill, waiting for one to come back if all are in use. */
    ColumnarBatch borrow() {
        lock.lock();
        try {
            while (free.isEmpty() && allocated >= maxBatches && abortReason == null) {
                awaitChange();
            }
            checkNotAborted();
            if (!free.isEmpty()) {
                lent = free.pop();
            } else {
                allocated++;
                lent = new ColumnarBatch(schema, batchSize);
            }
            return lent;
        } finally {
            lock.unlock();
        }
    }

    /** Producer: hands a filled batch to the writer, blocking while the buffer is full. */
    void publish(ColumnarBatch batch) {
        lock.lock();
        try {
            while (abortReason == null && recordsInFlight > 0
                    && (recordsInFlight + batch.size > maxRecords || bytesInFlight + batch.bytes > maxBytes)) {
                awaitChange();
            }
            checkNotAborted();
            if (lent == batch) {
                lent = null;
            }
            recordsInFlight += batch.size;
            bytesInFlight += batch.bytes;
            peakRecordsInFlight = Math.max(peakRecordsInFlight, recordsInFlight);
            ready.add(batch);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        onChange.run();
    }

    /** Producer: the split is exhausted. */
    void finish() {
        lock.lock();
        try {
            finished = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        onChange.run();
    }

    /** Producer: reading failed; the consumer's next {@link #take} throws it. */
    void fail(Throwable error) {
        lock.lock();
        try {
            if (failure == null) {
                failure = error;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        onChange.run();
    }

    /**
     * Consumer: the next batch, or null when the split is exhausted. Throws the reader's failure
     * as soon as it is known (the rest of a failed split is worthless).
     */
    ColumnarBatch take() {
        lock.lock();
        try {
            while (ready.isEmpty() && !finished && failure == null && abortReason == null) {
                awaitChange();
            }
            return poll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Consumer, without waiting: the next batch, or null when none is ready yet or the split is
     * exhausted ({@link #exhausted} tells which). Throws the reader's failure as {@link #take} does.
     */
    ColumnarBatch poll() {
        lock.lock();
        try {
            if (failure != null) {
                throw asSyncException(failure);
            }
            checkNotAborted();
            return ready.poll();
        } finally {
            lock.unlock();
        }
    }

    /** Consumer: the split ended and every batch of it was taken. */
    boolean exhausted() {
        lock.lock();
        try {
            return finished && ready.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** A consumer that {@link #poll polls} learns here, on the producer's thread, when to poll again. */
    void onChange(Runnable listener) {
        this.onChange = listener;
    }

    /** Consumer: the batch is written; its memory goes back to the pool. */
    void release(ColumnarBatch batch) {
        lock.lock();
        try {
            recordsInFlight -= batch.size;
            bytesInFlight -= batch.bytes;
            batch.clear();
            free.push(batch);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Any thread: wakes both sides, which then throw {@link CancelledException}. Idempotent. */
    void abort(String reason) {
        lock.lock();
        try {
            if (abortReason == null) {
                abortReason = reason;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        onChange.run();
    }

    /**
     * Prepares the queue for the next split, once the previous attempt's reader has ended: empties
     * it, takes back the batch the reader was filling, and clears the end states; keeps the pool.
     */
    void reset() {
        lock.lock();
        try {
            if (lent != null) {
                lent.clear();
                free.push(lent);
                lent = null;
            }
            while (!ready.isEmpty()) {
                ColumnarBatch batch = ready.poll();
                batch.clear();
                free.push(batch);
            }
            recordsInFlight = 0;
            bytesInFlight = 0;
            finished = false;
            failure = null;
            abortReason = null;
        } finally {
            lock.unlock();
        }
    }

    /** The most records that were ever published and not yet released at once. */
    long peakRecordsInFlight() {
        lock.lock();
        try {
            return peakRecordsInFlight;
        } finally {
            lock.unlock();
        }
    }

    int allocatedBatches() {
        lock.lock();
        try {
            return allocated;
        } finally {
            lock.unlock();
        }
    }

    private void awaitChange() {
        try {
            changed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abortReason = abortReason == null ? "interrupted" : abortReason;
        }
    }

    private void checkNotAborted() {
        if (abortReason != null) {
            throw new CancelledException(abortReason);
        }
    }

    static SyncException asSyncException(Throwable t) {
        if (t instanceof SyncException s) {
            return s;
        }
        return new SyncException(ErrorKind.INTERNAL, String.valueOf(t.getMessage() == null ? t : t.getMessage()), t);
    }
}
