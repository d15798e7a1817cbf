package dev.ferry.engine.runtime;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One batch job's counters, in one place: channels record into it once per batch, a failed split
 * attempt is taken back out by {@link #takeBack}, and reports and progress read an immutable
 * {@link JobStats} {@link #snapshot()}. So the totals only ever describe records that count, and
 * a count changes in exactly one class.
 *
 * <p>Threading: safe for concurrent use; each job has its own instance.
 */
final class JobCounters {

    private final LongAdder recordsRead = new LongAdder();
    private final LongAdder recordsWritten = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final AtomicInteger splitsDone = new AtomicInteger();
    private volatile int splitsTotal;

    /** A batch of {@code records} records of {@code batchBytes} bytes was read (dirty ones excluded). */
    void read(long records, long batchBytes) {
        recordsRead.add(records);
        bytes.add(batchBytes);
    }

    /** A record was read but was dirty: it counts as read, never as written. */
    void readDirty() {
        recordsRead.increment();
    }

    void written(long records) {
        recordsWritten.add(records);
    }

    void splitsPlanned(int count) {
        splitsTotal = count;
    }

    void splitDone() {
        splitsDone.incrementAndGet();
    }

    /** Removes what a failed split attempt had added, before the split is read again. */
    void takeBack(SplitAttempt attempt) {
        recordsRead.add(-attempt.recordsRead);
        bytes.add(-attempt.bytes);
        recordsWritten.add(-attempt.recordsWritten);
    }

    /** The counts now. */
    JobStats snapshot() {
        return new JobStats(recordsRead.sum(), recordsWritten.sum(), bytes.sum(), splitsDone.get(), splitsTotal);
    }

    /**
     * A batch job's counts at one moment.
     *
     * @param recordsRead    records read, dirty ones included
     * @param recordsWritten records written
     * @param bytes          approximate bytes read
     * @param splitsDone     splits finished
     * @param splitsTotal    splits planned
     */
    record JobStats(long recordsRead, long recordsWritten, long bytes, int splitsDone, int splitsTotal) {
    }
}
