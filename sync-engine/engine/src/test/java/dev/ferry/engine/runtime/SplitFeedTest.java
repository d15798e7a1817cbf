package dev.ferry.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.config.Redaction;
import dev.ferry.api.data.RowBatch;
import dev.ferry.api.error.RetriableException;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.job.BufferSettings;
import dev.ferry.api.job.DirtyDataPolicy;
import dev.ferry.api.job.RateLimit;
import dev.ferry.engine.Ticker;
import dev.ferry.engine.testing.TestSource;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A split read on the feed's own thread and polled without blocking, as a distributed engine's source operator does. */
class SplitFeedTest {

    private final DirtyData dirty = new DirtyData(DirtyDataPolicy.TOLERATE, Redaction.NONE);
    /** Released by the feed's thread each time there may be something to poll. */
    private final Semaphore changed = new Semaphore(0);

    private SplitFeed feed(int records) {
        return new SplitFeed(TestSource.SCHEMA, new BufferSettings(records, 1 << 20, 100), RateLimit.UNLIMITED, dirty,
                Ticker.system(), "feed-test", changed::release);
    }

    @Test
    void everyRecordOfTheSplitArrivesInBatchesAndDirtyOnesAreCountedNotPolled() throws Exception {
        TestSource source = new TestSource(1, 1050).dirtyWhen(row -> row % 100 == 7);
        TestSource.RangeSplit split = new TestSource.RangeSplit("s", 0, 1050);
        long polled = 0;
        long sum = 0;
        try (SplitFeed feed = feed(300)) {
            feed.start(source.createReader(split), split, 1);
            while (!feed.exhausted()) {
                RowBatch batch = feed.poll();
                if (batch == null) {
                    assertTrue(changed.tryAcquire(10, TimeUnit.SECONDS), "the feed signals what it publishes");
                    continue;
                }
                for (int row = 0; row < batch.size(); row++) {
                    sum += batch.getLong(row, 0);
                }
                polled += batch.size();
                feed.release(batch);
            }
            assertNull(feed.poll());
            assertEquals(1050, feed.recordsRead());
            assertEquals(11, feed.dirtyRead());
            feed.end();
        }
        assertEquals(1039, polled);
        assertEquals(1050L * 1049 / 2 - (7 + 107 + 207 + 307 + 407 + 507 + 607 + 707 + 807 + 907 + 1007), sum);
        assertEquals(11, dirty.count());
    }

    @Test
    void aReadersFailureIsThrownByPoll() throws Exception {
        TestSource source = new TestSource(1, 500).failWhen(250, (s, attempt) -> new RetriableException("connection lost"));
        TestSource.RangeSplit split = new TestSource.RangeSplit("s", 0, 500);
        try (SplitFeed feed = feed(100)) {
            feed.start(source.createReader(split), split, 1);
            SyncException thrown = assertThrows(SyncException.class, () -> {
                while (true) {
                    RowBatch batch = feed.poll();
                    if (batch != null) {
                        feed.release(batch);
                    } else if (!changed.tryAcquire(10, TimeUnit.SECONDS)) {
                        throw new AssertionError("no signal");
                    }
                }
            });
            assertTrue(thrown.getMessage().contains("connection lost"), thrown.getMessage());
            assertTrue(thrown.isRetriable());
        }
    }

    @Test
    void endingASplitMidwayCancelsTheReadAndTheNextSplitStartsClean() throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        TestSource source = new TestSource(2, 10_000).onRow(row -> {
            if (row == 50) {
                blocked.countDown();
            }
        });
        TestSource.RangeSplit first = new TestSource.RangeSplit("a", 0, 10_000);
        TestSource.RangeSplit second = new TestSource.RangeSplit("b", 10_000, 10_010);
        try (SplitFeed feed = feed(100)) {
            feed.start(source.createReader(first), first, 1);
            assertTrue(blocked.await(10, TimeUnit.SECONDS), "the reader is under way");
            feed.end();
            assertEquals(1, source.cancels(), "the read was cancelled");

            feed.start(source.createReader(second), second, 1);
            long polled = 0;
            while (!feed.exhausted()) {
                RowBatch batch = feed.poll();
                if (batch == null) {
                    assertTrue(changed.tryAcquire(10, TimeUnit.SECONDS));
                    continue;
                }
                assertTrue(batch.getLong(0, 0) >= 10_000, "no batch of the abandoned split is left");
                polled += batch.size();
                feed.release(batch);
            }
            assertEquals(10, polled);
        }
    }
}
