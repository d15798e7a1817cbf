package dev.ferry.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.CancelledException;
import dev.ferry.api.error.RetriableException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BatchQueueTest {

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
        });
        producer.start();
        waitUntilStable(published);
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
            for (int i = 0; i < 20; i++) {
                queue.publish(fill(queue, 10, 200));
                published.addAndGet(10);
            }
        });
        producer.setDaemon(true);
        producer.start();
        waitUntilStable(published);
        // 2000 bytes a batch and 4096 bytes in flight at most: two batches get through.
        assertEquals(20, published.get());
        queue.abort("test over");
        producer.join(5000);
    }

    @Test
    void abortWakesABlockedProducerWithCancellation() throws Exception {
        BatchQueue queue = new BatchQueue(SCHEMA, 10, 1 << 20, 10);
        queue.publish(fill(queue, 10, 8));
        CountDownLatch failed = new CountDownLatch(1);
        Thread producer = new Thread(() -> {
            try {
                queue.publish(fill(queue, 10, 8));
            } catch (CancelledException e) {
                failed.countDown();
            }
        });
        producer.start();
        Thread.sleep(50);
        queue.abort("job cancelled");
        assertTrue(failed.await(5, TimeUnit.SECONDS));
        CancelledException e = assertThrows(CancelledException.class, queue::take);
        assertEquals("job cancelled", e.getMessage());
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

    static void waitUntilStable(AtomicLong counter) throws InterruptedException {
        long last = -1;
        int stable = 0;
        for (int i = 0; i < 500 && stable < 10; i++) {
            long now = counter.get();
            stable = now == last ? stable + 1 : 0;
            last = now;
            Thread.sleep(10);
        }
    }
}
