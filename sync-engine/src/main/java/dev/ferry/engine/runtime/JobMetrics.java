package dev.ferry.engine.runtime;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One job's live counters. Channels add once per batch; a failed split attempt subtracts what it
 * had added, so the totals only ever describe records that count.
 *
 * <p>Threading: safe for concurrent use; each job has its own instance.
 */
final class JobMetrics {

    final LongAdder recordsRead = new LongAdder();
    final LongAdder recordsWritten = new LongAdder();
    final LongAdder bytes = new LongAdder();
    final AtomicInteger splitsDone = new AtomicInteger();
    volatile int splitsTotal;
}
