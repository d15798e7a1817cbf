package dev.ferry.engine.stream;

import static dev.ferry.api.change.ChangeKind.DELETE;
import static dev.ferry.api.change.ChangeKind.INSERT;
import static dev.ferry.api.change.ChangeKind.UPDATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.PositionLostException;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.job.ConnectorSpec;
import dev.ferry.api.job.JobMode;
import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.JobSettings;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.job.JobStatus;
import dev.ferry.api.job.RetryPolicy;
import dev.ferry.api.job.Stage;
import dev.ferry.api.job.StreamSettings;
import dev.ferry.api.state.StateStore;
import dev.ferry.engine.JobHandle;
import dev.ferry.engine.SyncEngine;
import dev.ferry.engine.runtime.StreamRun;
import dev.ferry.engine.state.InMemoryStateStore;
import dev.ferry.engine.testing.MapChangeTarget;
import dev.ferry.engine.testing.ScriptedChangeSource.Change;
import dev.ferry.engine.testing.ScriptedChangeSource;
import dev.ferry.engine.testing.SeqPosition;
import dev.ferry.engine.testing.TestStreamConnector;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StreamRunTest {

    private static final JobSettings SETTINGS = JobSettings.DEFAULT.withConcurrency(4)
            .withRetry(new RetryPolicy(3, 0));

    private final ScriptedChangeSource source = new ScriptedChangeSource();
    private final MapChangeTarget target = new MapChangeTarget();
    private final StateStore state = new InMemoryStateStore();

    private SyncEngine engine() {
        return SyncEngine.builder().connector(new TestStreamConnector(source, target)).stateStore(state).build();
    }

    private static JobSpec spec(JobSettings settings) {
        return new JobSpec("orders-stream", JobMode.STREAM, new ConnectorSpec("test-stream", Map.of()),
                new ConnectorSpec("test-stream", Map.of()), settings);
    }

    /** Writes 300 transactions over 20 keys and returns what the target must hold afterwards. */
    private Map<Long, String> writeHistory(int transactions, int firstTx) {
        Map<Long, String> expected = new HashMap<>();
        for (int tx = firstTx; tx < firstTx + transactions; tx++) {
            long id = tx % 20;
            if (tx % 7 == 0) {
                source.append(new Change(DELETE, id, null));
                expected.remove(id);
            } else {
                String value = "v" + tx;
                source.append(new Change(expected.containsKey(id) ? UPDATE : INSERT, id, value),
                        new Change(UPDATE, (id + 1) % 20, null));
                expected.put(id, value);
            }
        }
        return expected;
    }

    private static boolean await(CountDownLatch latch) throws InterruptedException {
        return latch.await(30, TimeUnit.SECONDS);
    }

    @Test
    void appliesEveryKeysChangesInSourceOrderAcrossChannelsAndStopsAtItsLastCheckpoint() throws Exception {
        Map<Long, String> expected = writeHistory(300, 1);
        try (SyncEngine engine = engine()) {
            CountDownLatch allApplied = target.expect(countChanges());
            JobHandle handle = engine.submit(spec(SETTINGS));
            assertTrue(await(allApplied), "every change applied");
            handle.stop();
            JobReport report = handle.await();
            assertEquals(JobStatus.STOPPED, report.status(), report.error());
            assertNull(report.error());
            assertEquals(expected, target.rows);
            assertNotNull(report.stream());
            assertEquals("tx-300", report.stream().position());
            assertEquals(countChanges(), report.recordsWritten());
            assertEquals(report.stream().inserts() + report.stream().updates() + report.stream().deletes(),
                    report.recordsWritten());
            assertEquals(4, report.concurrency().actual());
            String summary = dev.ferry.engine.runtime.Summary.format(report);
            assertTrue(summary.contains("Changes         : " + String.format(java.util.Locale.ROOT, "%,d inserts",
                    report.stream().inserts())), summary);
            assertTrue(summary.lines().anyMatch(l -> l.strip().equals("Dirty data: 0R")), summary);
            assertTrue(summary.contains("last at tx-300"), summary);
            String reportJson = dev.ferry.engine.runtime.ReportJson.toString(report);
            assertTrue(reportJson.contains("\"position\" : \"tx-300\""), reportJson);
            assertTrue(source.acknowledged.contains(new SeqPosition(300)), "the last checkpoint is acknowledged");
            assertEquals(java.util.Optional.of("tx-300"), state.get(StreamRun.checkpointKey("orders-stream"))
                    .map(json -> json.replaceAll(".*\"position\":\"([^\"]+)\".*", "$1")));
        }
    }

    private long countChanges() {
        long n = 0;
        for (int tx = 1; tx <= 300; tx++) {
            n += tx % 7 == 0 ? 1 : 2;
        }
        return n;
    }

    @Test
    void aRestartResumesAfterTheCheckpointWithoutPlanningAgain() throws Exception {
        Map<Long, String> expected = new HashMap<>();
        source.append(new Change(INSERT, 1, "a"));
        source.append(new Change(INSERT, 2, "b"));
        try (SyncEngine engine = engine()) {
            CountDownLatch applied = target.expect(2);
            JobHandle handle = engine.submit(spec(SETTINGS));
            assertTrue(await(applied));
            handle.stop();
            assertEquals(JobStatus.STOPPED, handle.await().status());
        }
        source.append(new Change(UPDATE, 1, "a2"));
        source.append(new Change(DELETE, 2, null), new Change(INSERT, 3, "c"));
        expected.put(1L, "a2");
        expected.put(3L, "c");
        try (SyncEngine engine = engine()) {
            CountDownLatch applied = target.expect(3);
            JobHandle handle = engine.submit(spec(SETTINGS));
            assertTrue(await(applied));
            handle.stop();
            JobReport report = handle.await();
            assertEquals(JobStatus.STOPPED, report.status());
            assertEquals(3, report.recordsWritten(), "only what followed the checkpoint is delivered again");
        }
        assertEquals(expected, target.rows);
        assertEquals(new SeqPosition(0), source.attachedFrom.get(0));
        assertEquals(new SeqPosition(2), source.attachedFrom.get(1));
        assertEquals("test-stream", source.previousPlans.get(1).connector(), "the second start re-attached to the stored plan");
    }

    @Test
    void aRetriableApplyFailureAppliesTheSameChangesAgain() throws Exception {
        target.failingCommits.set(2);
        Map<Long, String> expected = writeHistory(50, 1);
        long changes = 0;
        for (int tx = 1; tx <= 50; tx++) {
            changes += tx % 7 == 0 ? 1 : 2;
        }
        try (SyncEngine engine = engine()) {
            CountDownLatch applied = target.expect(changes);
            JobHandle handle = engine.submit(spec(SETTINGS.withConcurrency(1)));
            assertTrue(await(applied));
            handle.stop();
            JobReport report = handle.await();
            assertEquals(JobStatus.STOPPED, report.status(), report.error());
            assertEquals(expected, target.rows);
            assertEquals(0, target.failingCommits.get(), "both injected failures happened");
        }
    }

    @Test
    void aFailureToApplyFailsTheStreamAndKeepsOnlyAppliedPositions() throws Exception {
        source.append(new Change(INSERT, 1, "a"));
        CountDownLatch first = target.expect(1);
        try (SyncEngine engine = engine()) {
            JobHandle handle = engine.submit(spec(SETTINGS.withConcurrency(1)));
            assertTrue(await(first));
            target.failure = new SyncException(ErrorKind.DATA, "injected: target refuses everything");
            target.failingCommits.set(Integer.MAX_VALUE);
            source.append(new Change(INSERT, 2, "b"));
            JobReport report = handle.await();
            assertEquals(JobStatus.FAILED, report.status());
            assertEquals(Stage.STREAM, report.failedStage());
            assertTrue(report.error().contains("target refuses everything"), report.error());
            String saved = state.get(StreamRun.checkpointKey("orders-stream")).orElseThrow();
            assertTrue(saved.contains("\"tx-1\""), "the checkpoint never passes what was not applied: " + saved);
        }
    }

    @Test
    void aLostPositionFailsTheStreamAndTheReportSaysWhatHappened() {
        source.attachFailure = new PositionLostException("tx-0", "the log no longer holds tx-0.", "start again");
        try (SyncEngine engine = engine()) {
            JobReport report = engine.newJob("orders-stream").stream().source("test-stream", Map.of())
                    .target("test-stream", Map.of()).submit().await();
            assertEquals(JobStatus.FAILED, report.status());
            assertEquals("the log no longer holds tx-0. A new snapshot is needed: start again", report.error());
            assertEquals("the log no longer holds tx-0.", report.stream().positionLost());
        }
    }

    @Test
    void otherFailuresLoseNoPosition() {
        source.attachFailure = new SyncException(ErrorKind.EXTERNAL, "connection refused");
        try (SyncEngine engine = engine()) {
            JobReport report = engine.newJob("orders-stream").stream().source("test-stream", Map.of())
                    .target("test-stream", Map.of()).submit().await();
            assertEquals(JobStatus.FAILED, report.status());
            assertEquals(null, report.stream().positionLost());
        }
    }

    @Test
    void aStopBeforeAnythingArrivesEndsStoppedWithTheStartCheckpoint() {
        try (SyncEngine engine = engine()) {
            JobHandle handle = engine.newJob("orders-stream").stream().source("test-stream", Map.of())
                    .target("test-stream", Map.of()).concurrency(2).streamSettings(new StreamSettings(0, 50)).submit();
            handle.stop();
            JobReport report = handle.await();
            assertEquals(JobStatus.STOPPED, report.status(), report.error());
            assertEquals(0, report.recordsWritten());
            assertTrue(state.get(StreamRun.checkpointKey("orders-stream")).isPresent());
        }
    }

    @Test
    void aRefusedChangeIsDirtyWithItsKindAndKeyAndTheToleranceApplies() throws Exception {
        source.append(new Change(INSERT, 5, "ok"));
        source.append(new Change(UPDATE, 5, MapChangeTarget.REFUSED), new Change(INSERT, 6, "fine"));
        try (SyncEngine engine = engine()) {
            CountDownLatch applied = target.expect(2);
            JobHandle handle = engine.submit(spec(SETTINGS.withConcurrency(1)));
            assertTrue(await(applied));
            handle.stop();
            JobReport report = handle.await();
            assertEquals(JobStatus.STOPPED, report.status(), report.error());
            assertEquals(1, report.dirtyRecords());
            assertEquals(1, report.stream().dirty());
            dev.ferry.api.job.DirtyRecord sample = report.dirtySamples().get(0);
            assertEquals("s.t", sample.split());
            assertEquals("UPDATE s.t key (id=5): value 'refused' is refused", sample.reason());
            assertTrue(sample.record().contains("\"v\":\"refused\""), sample.record());
            assertEquals(Map.of(5L, "ok", 6L, "fine"), target.rows);
            assertEquals("tx-2", handle.progress().position());
            assertEquals(0, handle.progress().lagMillis());
        }
        source.append(new Change(INSERT, 7, MapChangeTarget.REFUSED));
        try (SyncEngine engine = engine()) {
            JobReport report = engine.run(spec(SETTINGS.withConcurrency(1)
                    .withDirtyData(new dev.ferry.api.job.DirtyDataPolicy(0L, null, null))));
            assertEquals(JobStatus.FAILED, report.status());
            assertTrue(report.error().contains("dirty"), report.error());
        }
    }
}
