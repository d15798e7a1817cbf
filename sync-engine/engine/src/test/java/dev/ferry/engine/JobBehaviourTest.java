package dev.ferry.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.RetriableException;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.job.BufferSettings;
import dev.ferry.api.job.DirtyDataPolicy;
import dev.ferry.api.job.JobEvent;
import dev.ferry.api.job.JobListener;
import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.JobStatus;
import dev.ferry.api.job.RetryPolicy;
import dev.ferry.api.job.Stage;
import dev.ferry.engine.runtime.Summary;
import dev.ferry.engine.testing.ManualTicker;
import dev.ferry.engine.testing.Parked;
import dev.ferry.engine.testing.TestConnector;
import dev.ferry.engine.testing.TestSource;
import dev.ferry.engine.testing.TestTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobBehaviourTest {

    private static SyncEngine.Builder engine(TestSource source, TestTarget target) {
        return SyncEngine.builder().connector(new TestConnector(() -> source, () -> target));
    }

    private static JobBuilder job(SyncEngine engine) {
        return engine.newJob("job").source("test", Map.of()).target("test", Map.of());
    }

    // ---------------------------------------------------------------- resource groups

    @Test
    void jobWaitsForASlotInASmallResourceGroupAndRunsWhenOneFrees() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch writing = new CountDownLatch(1);
        List<JobEvent> events = new CopyOnWriteArrayList<>();
        CountDownLatch secondWaits = new CountDownLatch(1);
        List<TestTarget> targets = new CopyOnWriteArrayList<>(List.of(
                new TestTarget().onWrite((b, c) -> {
                    writing.countDown();
                    release.await();
                }),
                new TestTarget()));
        try (SyncEngine engine = SyncEngine.builder().resourceGroup("small", 1).listener(events::add)
                .listener(countDownOnWaiting("second", secondWaits))
                .connector(new TestConnector(() -> new TestSource(1, 100), () -> targets.remove(0))).build()) {
            JobHandle first = engine.newJob("first").source("test", Map.of()).target("test", Map.of())
                    .resourceGroup("small").submit();
            JobHandle second;
            try {
                assertTrue(writing.await(10, TimeUnit.SECONDS));
                second = engine.newJob("second").source("test", Map.of()).target("test", Map.of())
                        .resourceGroup("small").submit();
                assertTrue(secondWaits.await(10, TimeUnit.SECONDS), "second job never waited for a slot");
                assertEquals(JobStatus.WAITING, second.status());
                assertEquals(JobStatus.RUNNING, first.status());
            } finally {
                release.countDown();
            }
            assertEquals(JobStatus.SUCCESS, first.await().status());
            JobReport report = second.await();
            assertEquals(JobStatus.SUCCESS, report.status());
            assertEquals(new JobReport.Concurrency(JobSettingsDefaults.CONCURRENCY, 1), report.concurrency());
        }
        JobEvent.StatusChanged waiting = events.stream()
                .filter(e -> e instanceof JobEvent.StatusChanged s && s.to() == JobStatus.WAITING)
                .map(e -> (JobEvent.StatusChanged) e).findFirst().orElseThrow();
        assertEquals("second", waiting.job());
        assertEquals("no free slot in resource group 'small' (1 of 1 slots held)", waiting.detail());
    }

    @Test
    void cancellingAWaitingJobEndsItWithoutRunning() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch secondWaits = new CountDownLatch(1);
        List<TestTarget> targets = new CopyOnWriteArrayList<>(List.of(
                new TestTarget().onWrite((b, c) -> {
                    writing.countDown();
                    release.await();
                }),
                new TestTarget()));
        try (SyncEngine engine = SyncEngine.builder().resourceGroup("small", 1)
                .listener(countDownOnWaiting("second", secondWaits))
                .connector(new TestConnector(() -> new TestSource(1, 10), () -> targets.remove(0))).build()) {
            JobHandle first = engine.newJob("first").source("test", Map.of()).target("test", Map.of())
                    .resourceGroup("small").submit();
            try {
                assertTrue(writing.await(10, TimeUnit.SECONDS));
                JobHandle second = engine.newJob("second").source("test", Map.of()).target("test", Map.of())
                        .resourceGroup("small").submit();
                assertTrue(secondWaits.await(10, TimeUnit.SECONDS), "second job never waited for a slot");
                second.cancel();
                JobReport report = second.completion().get(10, TimeUnit.SECONDS);
                assertEquals(JobStatus.CANCELLED, report.status());
                assertEquals(0, report.recordsRead());
            } finally {
                release.countDown();
            }
            assertEquals(JobStatus.SUCCESS, first.await().status());
        }
    }

    // ---------------------------------------------------------------- back-pressure

    @Test
    void slowWriterHoldsTheReaderAtTheBufferBound() throws Exception {
        int bufferRecords = 1000;
        int batchSize = 100;
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch reading = new CountDownLatch(1);
        AtomicReference<Thread> reader = new AtomicReference<>();
        TestSource source = new TestSource(1, 1_000_000).onRow(row -> {
            if (reader.compareAndSet(null, Thread.currentThread())) {
                reading.countDown();
            }
        });
        // The writer takes the first batch and keeps it until released, so nothing is ever freed.
        TestTarget target = new TestTarget().onWrite((b, c) -> release.await());
        try (SyncEngine engine = engine(source, target).build()) {
            JobHandle handle = job(engine).concurrency(1)
                    .buffer(new BufferSettings(bufferRecords, 1 << 20, batchSize)).submit();
            try {
                assertTrue(reading.await(10, TimeUnit.SECONDS), "the reader never started");
                // The reader blocks handing over a full batch, or waiting for an empty one.
                Parked.awaitParkedIn(reader.get(), "dev.ferry.engine.runtime.BatchQueue", "publish", "borrow");
                // Blocked: at most the buffer's 1000 records are published and unwritten, plus the one
                // batch the reader holds (its last record's emit() has not returned). A buffer that
                // took everything would never block, and one that took more would show here.
                long emitted = source.emitted();
                assertTrue(emitted <= bufferRecords + batchSize, "reader ran ahead to " + emitted);
                assertTrue(emitted >= bufferRecords, "reader blocked early at " + emitted);
                assertEquals(0, handle.progress().recordsWritten(), "the writer wrote before being released");
            } finally {
                release.countDown();
            }
            JobReport report = handle.await();
            assertEquals(1_000_000, report.recordsWritten());
        }
    }

    @Test
    void aChannelRunsMoreSplitsThanItsBufferHasBatches() throws Exception {
        // Regression: each split attempt used to keep one batch of the channel's pool, so a channel
        // hung after ceil(records / batchSize) + 2 splits.
        TestSource source = new TestSource(50, 10);
        try (SyncEngine engine = engine(source, new TestTarget()).build()) {
            JobHandle handle = job(engine).concurrency(1).buffer(new BufferSettings(100, 1 << 20, 10)).submit();
            JobReport report = handle.completion().get(30, TimeUnit.SECONDS);
            assertEquals(JobStatus.SUCCESS, report.status());
            assertEquals(500, report.recordsWritten());
        }
    }

    // ---------------------------------------------------------------- rate limits

    @Test
    void recordRateLimitPacesTheJobOnTheInjectedClock() {
        ManualTicker ticker = new ManualTicker();
        TestSource source = new TestSource(1, 5000);
        try (SyncEngine engine = engine(source, new TestTarget()).ticker(ticker).build()) {
            JobReport report = job(engine).concurrency(1).rateLimit(1000, 0).run();
            assertEquals(JobStatus.SUCCESS, report.status());
            // 50 batches of 100 records at 1000 records/s: the last starts 4.9 s after the first.
            assertEquals(TimeUnit.MILLISECONDS.toNanos(4900), ticker.sleptNanos());
            assertEquals(5000 / 4.9, report.recordsPerSecond(), 1.0);
        }
    }

    @Test
    void oneBudgetIsSharedByAllChannels() {
        ManualTicker ticker = new ManualTicker();
        TestSource source = new TestSource(4, 1000);
        try (SyncEngine engine = engine(source, new TestTarget()).ticker(ticker).build()) {
            JobReport report = job(engine).concurrency(4).rateLimit(1000, 0).run();
            assertEquals(4000, report.recordsWritten());
            // 4000 records at 1000/s in total, whatever the channel count: 3.9 s of waiting.
            assertEquals(TimeUnit.MILLISECONDS.toNanos(3900), ticker.sleptNanos());
        }
    }

    // ---------------------------------------------------------------- dirty data

    @Test
    void dirtyRecordsAreToleratedCountedAndSampledByDefault(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("dirty/records.jsonl");
        TestSource source = new TestSource(2, 5000).dirtyWhen(row -> row % 100 == 7);
        TestTarget target = new TestTarget().dirtyWhen(id -> id % 1000 == 3);
        try (SyncEngine engine = engine(source, target).build()) {
            JobReport report = job(engine).dirtyData(new DirtyDataPolicy(null, null, file.toString())).run();
            assertEquals(JobStatus.SUCCESS, report.status());
            assertEquals(10_000, report.recordsRead());
            assertEquals(100 + 10, report.dirtyRecords());
            assertEquals(10_000 - 110, report.recordsWritten());
            assertEquals(10, report.dirtySamples().size());
            assertTrue(Summary.format(report).lines().anyMatch(line -> line.strip().equals("Dirty data: 110R")),
                    Summary.format(report));
            List<String> lines = Files.readAllLines(file);
            assertEquals(110, lines.size());
            ObjectMapper mapper = new ObjectMapper();
            JsonNode read = lines.stream().map(l -> parse(mapper, l)).filter(n -> n.get("side").asText().equals("read"))
                    .findFirst().orElseThrow();
            assertTrue(read.get("reason").asText().endsWith("is dirty by design"));
            assertTrue(read.get("record").asText().startsWith("raw-"));
            JsonNode written = lines.stream().map(l -> parse(mapper, l)).filter(n -> n.get("side").asText().equals("write"))
                    .findFirst().orElseThrow();
            JsonNode row = parse(mapper, written.get("record").asText());
            assertEquals(3, row.get("id").asLong() % 1000);
            assertEquals("name-" + row.get("id").asLong(), row.get("name").asText());
        }
    }

    @Test
    void rowsRefusedAfterTheirBatchComeOffTheWrittenCounts(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("dirty.jsonl");
        TestSource source = new TestSource(4, 2_500);
        TestTarget target = new TestTarget().dirtyAtFinishWhen(id -> id % 1000 == 999);
        try (SyncEngine engine = engine(source, target).build()) {
            JobReport report = job(engine).concurrency(2).dirtyData(new DirtyDataPolicy(null, null, file.toString())).run();
            assertEquals(JobStatus.SUCCESS, report.status(), report.error());
            assertEquals(10_000, report.recordsRead());
            assertEquals(10, report.dirtyRecords());
            assertEquals(10_000 - 10, report.recordsWritten());
            assertEquals(10_000 - 10, target.committedIds().size());
            List<String> lines = Files.readAllLines(file);
            assertEquals(10, lines.size());
            JsonNode first = parse(new ObjectMapper(), lines.get(0));
            assertEquals("write", first.get("side").asText());
            assertTrue(first.get("record").asText().matches("\\{\"id\": \\d*999}"), first.toString());
            assertTrue(first.get("reason").asText().endsWith("refused at the end of the split"), first.toString());
        }
    }

    @Test
    void maxRecordsFailsAsSoonAsTheCountExceedsIt() {
        TestSource source = new TestSource(1, 10_000).dirtyWhen(row -> row % 100 == 0);
        try (SyncEngine engine = engine(source, new TestTarget()).build()) {
            JobReport report = job(engine).dirtyData(new DirtyDataPolicy(5L, null, null)).run();
            assertEquals(JobStatus.FAILED, report.status());
            assertEquals(Stage.SYNC, report.failedStage());
            assertTrue(report.error().startsWith("dirty records (6) exceed settings.dirtyData.maxRecords (5)"),
                    report.error());
            // Rows 0, 100, .. 500 are dirty: the sixth, row 500, exceeds the limit and stops the reader
            // there, after the 495 clean rows before it.
            assertEquals(495, source.emitted(), "the reader should stop at the record that exceeds the limit");
        }
    }

    @Test
    void maxRecordsZeroFailsOnTheFirst() {
        TestSource source = new TestSource(1, 100).dirtyWhen(row -> row == 42);
        try (SyncEngine engine = engine(source, new TestTarget()).build()) {
            JobReport report = job(engine).dirtyData(new DirtyDataPolicy(0L, null, null)).run();
            assertEquals(JobStatus.FAILED, report.status());
            assertTrue(report.error().startsWith("dirty records (1) exceed settings.dirtyData.maxRecords (0)"));
        }
    }

    @Test
    void maxPercentFailsWhenTheShareIsTooHigh() {
        TestSource source = new TestSource(2, 1000).dirtyWhen(row -> row % 100 == 0);
        try (SyncEngine engine = engine(source, new TestTarget()).build()) {
            JobReport report = job(engine).dirtyData(new DirtyDataPolicy(null, 0.5, null)).run();
            assertEquals(JobStatus.FAILED, report.status());
            assertEquals(Stage.SYNC, report.failedStage());
            assertEquals("dirty records (20 of 2000 read, 1.00%) exceed settings.dirtyData.maxPercent (0.5%)",
                    report.error());
        }
        TestSource tolerated = new TestSource(2, 1000).dirtyWhen(row -> row % 100 == 0);
        try (SyncEngine engine = engine(tolerated, new TestTarget()).build()) {
            JobReport report = job(engine).dirtyData(new DirtyDataPolicy(null, 1.0, null)).run();
            assertEquals(JobStatus.SUCCESS, report.status());
            assertEquals(20, report.dirtyRecords());
        }
    }

    @Test
    void bothLimitsApply() {
        TestSource percentTrips = new TestSource(1, 1000).dirtyWhen(row -> row % 50 == 0);
        try (SyncEngine engine = engine(percentTrips, new TestTarget()).build()) {
            JobReport report = job(engine).dirtyData(new DirtyDataPolicy(100L, 1.0, null)).run();
            assertEquals(JobStatus.FAILED, report.status());
            assertTrue(report.error().contains("maxPercent"), report.error());
        }
        TestSource countTrips = new TestSource(1, 1000).dirtyWhen(row -> row % 50 == 0);
        try (SyncEngine engine = engine(countTrips, new TestTarget()).build()) {
            JobReport report = job(engine).dirtyData(new DirtyDataPolicy(10L, 50.0, null)).run();
            assertEquals(JobStatus.FAILED, report.status());
            assertTrue(report.error().contains("maxRecords (10)"), report.error());
        }
    }

    // ---------------------------------------------------------------- retry

    @Test
    void retriableSplitFailureIsRetriedWithoutDuplicatesOrGaps() {
        ManualTicker ticker = new ManualTicker();
        TestSource source = new TestSource(4, 1000).failWhen(500, (split, attempt) ->
                split.id().equals("s1") && attempt == 1 ? new RetriableException("connection reset") : null);
        TestTarget target = new TestTarget.Retrying();
        try (SyncEngine engine = engine(source, target).ticker(ticker).build()) {
            JobReport report = job(engine).concurrency(2).retry(new RetryPolicy(3, 250)).run();
            assertEquals(JobStatus.SUCCESS, report.status());
            assertEquals(2, source.attempts("s1"));
            assertEquals(1, source.attempts("s0"));
            assertEquals(LongStream.range(0, 4000).boxed().toList(), target.committedIds());
            assertEquals(4000, report.recordsRead());
            assertEquals(4000, report.recordsWritten());
            assertEquals(TimeUnit.MILLISECONDS.toNanos(250), ticker.sleptNanos());
        }
    }

    @Test
    void retriesStopAfterMaxAttemptsWithBackoffDoubling() {
        ManualTicker ticker = new ManualTicker();
        TestSource source = new TestSource(1, 100).failWhen(10, (split, attempt) -> new RetriableException("still down"));
        try (SyncEngine engine = engine(source, new TestTarget.Retrying()).ticker(ticker).build()) {
            JobReport report = job(engine).retry(new RetryPolicy(3, 100)).run();
            assertEquals(JobStatus.FAILED, report.status());
            assertEquals("still down", report.error());
            assertEquals(3, source.attempts("s0"));
            assertEquals(TimeUnit.MILLISECONDS.toNanos(100 + 200), ticker.sleptNanos());
            assertEquals(0, report.recordsRead(), "failed attempts are taken back out of the counts");
        }
    }

    @Test
    void retriableFailureIsNotRetriedWhenTheTargetCannotRedoASplit() {
        TestSource source = new TestSource(1, 100).failWhen(10, (split, attempt) -> new RetriableException("reset"));
        try (SyncEngine engine = engine(source, new TestTarget()).build()) {
            JobReport report = job(engine).run();
            assertEquals(JobStatus.FAILED, report.status());
            assertEquals(1, source.attempts("s0"));
        }
    }

    @Test
    void nonRetriableFailureIsNotRetried() {
        TestSource source = new TestSource(1, 100)
                .failWhen(10, (split, attempt) -> new SyncException(ErrorKind.DATA, "corrupt page"));
        try (SyncEngine engine = engine(source, new TestTarget.Retrying()).build()) {
            assertEquals(JobStatus.FAILED, job(engine).run().status());
            assertEquals(1, source.attempts("s0"));
        }
    }

    // ---------------------------------------------------------------- cancel

    @Test
    void cancelStopsReadersAndWritersPromptlyAndReleasesSlots() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        TestSource source = new TestSource(4, 10_000_000);
        TestTarget target = new TestTarget().onWrite((b, c) -> writing.countDown());
        List<TestSource> sources = new CopyOnWriteArrayList<>(List.of(source, new TestSource(2, 10)));
        List<TestTarget> targets = new CopyOnWriteArrayList<>(List.of(target, new TestTarget()));
        try (SyncEngine engine = SyncEngine.builder().resourceGroup("two", 2)
                .connector(new TestConnector(() -> sources.remove(0), () -> targets.remove(0))).build()) {
            JobHandle handle = job(engine).concurrency(2).resourceGroup("two").submit();
            assertTrue(writing.await(10, TimeUnit.SECONDS));
            long started = System.nanoTime();
            handle.cancel();
            JobReport report = handle.completion().get(10, TimeUnit.SECONDS);
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 5);
            assertEquals(JobStatus.CANCELLED, report.status());
            assertEquals(Stage.SYNC, report.failedStage());
            assertTrue(target.calls().contains("abort"));
            assertFalse(target.calls().contains("commit"));
            assertTrue(source.isClosed());
            assertTrue(source.cancels() > 0, "active readers are cancelled");
            assertTrue(report.recordsRead() < 40_000_000);
            // The slots are back: a job asking for the whole group gets all of it at once.
            JobReport next = engine.newJob("next").source("test", Map.of()).target("test", Map.of())
                    .resourceGroup("two").concurrency(2).submit().completion().get(10, TimeUnit.SECONDS);
            assertEquals(JobStatus.SUCCESS, next.status());
            assertEquals(new JobReport.Concurrency(2, 2), next.concurrency());
            assertEquals(0, next.waitMillis(), 50);
        }
    }

    // ---------------------------------------------------------------- progress

    @Test
    void progressIsReportedPeriodicallyDuringSync() throws Exception {
        CountDownLatch progress = new CountDownLatch(2);
        TestSource source = new TestSource(1, 1000);
        TestTarget target = new TestTarget().onWrite((b, c) -> progress.await(10, TimeUnit.SECONDS));
        List<JobEvent.ProgressReported> seen = new CopyOnWriteArrayList<>();
        try (SyncEngine engine = engine(source, target).listener(e -> {
            if (e instanceof JobEvent.ProgressReported p) {
                seen.add(p);
                progress.countDown();
            }
        }).build()) {
            JobReport report = job(engine).progressIntervalMillis(100).run();
            assertEquals(JobStatus.SUCCESS, report.status());
        }
        assertTrue(seen.size() >= 2);
        assertEquals(1, seen.get(0).progress().splitsTotal());
    }

    private static JsonNode parse(ObjectMapper mapper, String json) {
        try {
            return mapper.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A listener that counts {@code latch} down when {@code job} starts waiting for a slot. */
    private static JobListener countDownOnWaiting(String job, CountDownLatch latch) {
        return event -> {
            if (event instanceof JobEvent.StatusChanged s && s.job().equals(job) && s.to() == JobStatus.WAITING) {
                latch.countDown();
            }
        };
    }

    /** The default concurrency, spelled once for the assertions above. */
    private static final class JobSettingsDefaults {
        static final int CONCURRENCY = dev.ferry.api.job.JobSettings.DEFAULT_CONCURRENCY;
    }

    // ---------------------------------------------------------------- stalls

    @Test
    void aSplitThatMakesNoProgressForAMinuteIsNamedWithTheSideItWaitsOnUntilItMoves() throws Exception {
        ManualTicker ticker = new ManualTicker();
        CountDownLatch readerStuck = new CountDownLatch(1);
        CountDownLatch unstick = new CountDownLatch(1);
        List<JobEvent.SplitStalled> stalls = new CopyOnWriteArrayList<>();
        CountDownLatch firstWarning = new CountDownLatch(1);
        CountDownLatch secondWarning = new CountDownLatch(2);
        TestSource source = new TestSource(1, 10).onRow(row -> {
            if (row == 5) {
                readerStuck.countDown();
                unstick.await();
            }
        });
        try (SyncEngine engine = engine(source, new TestTarget()).ticker(ticker).listener(event -> {
            if (event instanceof JobEvent.SplitStalled stalled) {
                stalls.add(stalled);
                firstWarning.countDown();
                secondWarning.countDown();
            }
        }).build()) {
            JobHandle handle = job(engine).concurrency(1).progressIntervalMillis(100).submit();
            try {
                assertTrue(readerStuck.await(10, TimeUnit.SECONDS));
                ticker.advance(59, TimeUnit.SECONDS);
                assertFalse(firstWarning.await(300, TimeUnit.MILLISECONDS), "no warning before a minute: " + stalls);
                ticker.advance(2, TimeUnit.SECONDS);
                assertTrue(firstWarning.await(10, TimeUnit.SECONDS), "a warning after a minute");
                assertEquals(1, stalls.size(), "one warning per minute of standstill: " + stalls);
                ticker.advance(61, TimeUnit.SECONDS);
                assertTrue(secondWarning.await(10, TimeUnit.SECONDS), "the warning repeats: " + stalls);
            } finally {
                unstick.countDown();
            }
            assertEquals(JobStatus.SUCCESS, handle.await().status());
            JobEvent.SplitStalled first = stalls.get(0);
            assertEquals("s0", first.split());
            assertEquals("source", first.side(), "the reader's query has produced nothing");
            assertTrue(first.stalledMillis() >= 60_000, first.toString());
        }
    }
}
