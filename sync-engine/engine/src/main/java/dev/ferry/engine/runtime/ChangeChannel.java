package dev.ferry.engine.runtime;

import dev.ferry.api.change.ChangeKind;
import dev.ferry.api.error.CancelledException;
import dev.ferry.api.state.Position;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded buffer between the router and one writer channel.
 *
 * <p>Design: the router appends each change to the open rows of its table; the writer takes
 * everything open at once ({@link #take}) when a batch is full, when the first waiting change has
 * lingered long enough, or when the stream finishes, and applies it as one target transaction.
 * While the writer applies, new changes gather in fresh rows, so batches grow with the load: one
 * change at a time when the stream is quiet, thousands when it is busy. The buffer holds at most
 * {@code maxRecords} changes and about {@code maxBytes}; the router blocks beyond that, which is
 * how back-pressure reaches the source.
 *
 * <p>Threading: one router thread appends, one writer thread takes, any thread aborts.
 */
final class ChangeChannel {

    /** What the writer applies in one transaction. */
    record Drained(List<ChangeRows> batches, long upTo, int records) {
    }

    private final int maxRecords;
    private final long maxBytes;
    private final int batchSize;
    private final long lingerNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private LinkedHashMap<ChangeRouter.TableState, ChangeRows> open = new LinkedHashMap<>();
    private int records;
    private long bytes;
    private long firstNanos;
    private long routed;
    private boolean finished;
    private String abortReason;

    ChangeChannel(int maxRecords, long maxBytes, int batchSize, long lingerNanos) {
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
        this.batchSize = batchSize;
        this.lingerNanos = lingerNanos;
    }

    /** Router: appends one staged change, waiting while the buffer is full. */
    void append(ChangeRouter.TableState table, ChangeKind kind, Position position, long commitMicros, long sequence,
                long[] longs, Object[] objects, byte[] states, int rowBytes) {
        lock.lock();
        try {
            while (abortReason == null && records > 0 && (records >= maxRecords || bytes >= maxBytes)) {
                changed.awaitUninterruptibly();
            }
            if (abortReason != null) {
                throw new CancelledException(abortReason);
            }
            ChangeRows rows = open.get(table);
            if (rows == null) {
                rows = new ChangeRows(table);
                open.put(table, rows);
            }
            rows.add(kind, position, commitMicros, sequence, longs, objects, states, rowBytes);
            if (records == 0) {
                firstNanos = System.nanoTime();
                changed.signalAll();
            }
            records++;
            bytes += rowBytes;
            routed++;
            if (records == batchSize) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Router: no more changes will come; the writer takes what is left and ends. */
    void finish() {
        lock.lock();
        try {
            finished = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writer: the next transaction's worth of changes, or null once the router finished and
     * everything was taken.
     *
     * @throws CancelledException when the channel was aborted
     */
    Drained take() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (abortReason != null) {
                    throw new CancelledException(abortReason);
                }
                if (records > 0) {
                    long waited = System.nanoTime() - firstNanos;
                    if (finished || records >= batchSize || waited >= lingerNanos) {
                        Drained drained = new Drained(new ArrayList<>(open.values()), routed, records);
                        open = new LinkedHashMap<>();
                        records = 0;
                        bytes = 0;
                        changed.signalAll();
                        return drained;
                    }
                    changed.awaitNanos(lingerNanos - waited);
                } else if (finished) {
                    return null;
                } else {
                    changed.await(1, TimeUnit.SECONDS);
                }
            }
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
    }
}
