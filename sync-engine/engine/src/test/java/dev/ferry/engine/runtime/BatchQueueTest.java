package dev.ferry.engine.runtime;

import static dev.ferry.engine.testing.Parked.awaitParkedIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.CancelledException;
import dev.ferry.api.error.RetriableException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BatchQueueTest {

    private static final String BATCH_QUEUE = BatchQueue.class.getName();

    private static final TableSchema SCHEMA = TableSchema.of("t",
            List.of(Column.of("id", DataType.INT64), Column.of("s", DataType.STRING)));

    private static ColumnarBatch fill(BatchQueue queue, int rows, int bytesPerRow) {
        ColumnarBatch batch = queue.borrow();
        for (int i = 0; i < rows; i++) {
            batch.longs[i * 2] = i;
            batch.rowBytes[i] = bytesPerRow;
            batch.bytes += bytesPerRow;
        }
        batch.size = rows;
        return batch;
    }

    @Test
    void producerBlocksWhenRecordBoundIsReachedAndResumesWhenWriterReleases() throws Exception {
        BatchQueue queue = new BatchQueue(SCHEMA, 100, 1 << 20, 10);
        AtomicLong published = new AtomicLong();
        Thread producer = new Thread(() -> {
            for (int i = 0; i < 50; i++) {
                queue.publish(fill(queue, 10, 8));
                published.addAndGet(10);
            }
            queue.finish();
        }, "producer");
        producer.start();
        awaitParkedIn(producer, BATCH_QUEUE, "publish");
        assertEquals(100, published.get(), "producer must stop at the record bound");
        long consumed = 0;
        ColumnarBatch batch;
        while ((batch = queue.take()) != null) {
            consumed += batch.size;
            queue.release(batch);
        }
        producer.join();
        assertEquals(500, consumed);
        assertTrue(queue.peakRecordsInFlight() <= 100, "peak " + queue.peakRecordsInFlight());
        assertTrue(queue.allocatedBatches() <= 100 / 10 + 2, "allocated " + queue.allocatedBatches());
    }

    @Test
    void byteBoundAppliesToLargeRecords() throws Exception {
        BatchQueue queue = new BatchQueue(SCHEMA, 10_000, 4096, 10);
        AtomicLong published = new AtomicLong();
        Thread producer = new Thread(() -> {
            try {
                for (int i = 0; i < 20; i++) {
                    queue.publish(fill(queue, 10, 200));
                    published.addAndGet(10);
                }
            } catch (CancelledException expected) {
                // the test aborts the queue once the producer is blocked
            }
        }, "producer");
        producer.start();
        awaitParkedIn(producer, BATCH_QUEUE, "publish");
        // 2000 bytes a batch and 4096 bytes in flight at most: two batches get through.
        assertEquals(20, published.get());
        queue.abort("test over");
        producer.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(producer.isAlive(), "abort did not release the producer");
    }

    @Test
    void abortWakesAProducerBlockedInPublish() throws Exception {
        BatchQueue queue = new BatchQueue(SCHEMA, 10, 1 << 20, 10);
        queue.publish(fill(queue, 10, 8));
        Blocked producer = Blocked.start(() -> queue.publish(fill(queue, 10, 8)));
        awaitParkedIn(producer.thread, BATCH_QUEUE, "publish");
        queue.abort("job cancelled");
        assertEquals("job cancelled", producer.awaitCancellation().getMessage());
        // The blocked batch never reached the writer: the queue stays aborted and holds only the first.
        assertEquals(10, queue.peakRecordsInFlight());
        assertEquals("job cancelled", assertThrows(CancelledException.class, queue::take).getMessage());
    }

    @Test
    void abortWakesAProducerBlockedInBorrow() throws Exception {
        BatchQueue queue = new BatchQueue(SCHEMA, 10, 1 << 20, 10);
        // ceil(10 / 10) + 2 = 3 batches exist at most; the writer holds none back, so a fourth waits.
        for (int i = 0; i < 3; i++) {
            queue.borrow();
        }
        Blocked producer = Blocked.start(queue::borrow);
        awaitParkedIn(producer.thread, BATCH_QUEUE, "borrow");
        queue.abort("job cancelled");
        assertEquals("job cancelled", producer.awaitCancellation().getMessage());
        assertEquals(3, queue.allocatedBatches(), "an aborted borrow must not allocate");
    }

    @Test
    void abortWakesAConsumerBlockedInTake() throws Exception {
        BatchQueue queue = new BatchQueue(SCHEMA, 10, 1 << 20, 10);
        Blocked consumer = Blocked.start(queue::take);
        awaitParkedIn(consumer.thread, BATCH_QUEUE, "take");
        queue.abort("split s1 failed");
        assertEquals("split s1 failed", consumer.awaitCancellation().getMessage());
    }

    @Test
    void readerFailureReachesTheWriterAndResetClearsIt() {
        BatchQueue queue = new BatchQueue(SCHEMA, 100, 1 << 20, 10);
        queue.fail(new RetriableException("connection reset"));
        assertEquals("connection reset", assertThrows(RetriableException.class, queue::take).getMessage());
        queue.reset();
        queue.finish();
        assertNull(queue.take());
    }

    /** A thread running one queue call that is expected to end in a {@link CancelledException}. */
    private static final class Blocked {

        final Thread thread;
        final CompletableFuture<Throwable> outcome = new CompletableFuture<>();

        private Blocked(Runnable call) {
            thread = new Thread(() -> {
                try {
                    call.run();
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            }, "blocked-queue-call");
            thread.setDaemon(true);
        }

        static Blocked start(Runnable call) {
            Blocked blocked = new Blocked(call);
            blocked.thread.start();
            return blocked;
        }

        /** The cancellation the call ended with; fails when it did not end, or ended otherwise. */
        CancelledException awaitCancellation() throws Exception {
            Throwable t;
            try {
                t = outcome.get(10, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("abort did not wake the blocked call; " + thread.getName() + " is "
                        + thread.getState());
            }
            return assertInstanceOf(CancelledException.class, t, "the blocked call ended with " + t);
        }
    }
}
