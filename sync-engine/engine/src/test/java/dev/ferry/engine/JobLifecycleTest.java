package dev.ferry.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.job.JobEvent;
import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.JobSettings;
import dev.ferry.api.job.JobStatus;
import dev.ferry.api.job.Stage;
import dev.ferry.engine.runtime.JobRun;
import dev.ferry.engine.testing.TestConnector;
import dev.ferry.engine.testing.TestSource;
import dev.ferry.engine.testing.TestTarget;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class JobLifecycleTest {

    private final List<JobEvent> events = new CopyOnWriteArrayList<>();

    private SyncEngine engine(TestSource source, TestTarget target) {
        return SyncEngine.builder().connector(new TestConnector(() -> source, () -> target))
                .listener(events::add).build();
    }

    private static JobReport run(SyncEngine engine, int concurrency) {
        return engine.newJob("life").source("test", Map.of()).target("test", Map.of()).concurrency(concurrency).run();
    }

    @Test
    void successfulJobWalksEveryStateAndStageInOrder() {
        TestSource source = new TestSource(6, 1000);
        TestTarget target = new TestTarget();
        try (SyncEngine engine = engine(source, target)) {
            JobReport report = run(engine, 3);
            assertEquals(JobStatus.SUCCESS, report.status());
            assertNull(report.failedStage());
            assertEquals(6000, report.recordsRead());
            assertEquals(6000, report.recordsWritten());
            assertEquals(LongStream.range(0, 6000).boxed().toList(), target.committedIds());
            assertEquals(6, report.splits().size());
            report.splits().forEach(s -> assertEquals(1000, s.records()));
            assertEquals(new JobReport.Concurrency(3, 3), report.concurrency());
            assertEquals(List.of(Stage.PRE, Stage.SPLIT, Stage.SYNC, Stage.POST),
                    report.stages().stream().map(JobReport.StageTiming::name).toList());
            assertEquals(List.of("prepare", "commit", "post", "close"), target.calls());
            assertTrue(source.isClosed());
            assertTrue(report.bytes() > 0);
            assertTrue(report.recordsPerSecond() > 0);
        }
        List<String> trace = events.stream().map(JobLifecycleTest::describe).filter(s -> !s.isEmpty()).toList();
        assertEquals(List.of("SUBMITTED->RUNNING", "start PRE", "end PRE", "start SPLIT", "end SPLIT", "start SYNC",
                "end SYNC", "start POST", "end POST", "RUNNING->SUCCESS", "finished SUCCESS"), trace);
    }

    @Test
    void actualConcurrencyIsBoundedBySplits() {
        try (SyncEngine engine = engine(new TestSource(2, 10), new TestTarget())) {
            JobReport report = run(engine, 8);
            assertEquals(new JobReport.Concurrency(8, 2), report.concurrency());
        }
    }

    @Test
    void failureInPreNamesTheStageAndAbortsTheTarget() {
        TestTarget target = new TestTarget().failPrepare(new SyncException(ErrorKind.EXTERNAL, "table x is missing"));
        try (SyncEngine engine = engine(new TestSource(2, 10), target)) {
            JobReport report = run(engine, 2);
            assertEquals(JobStatus.FAILED, report.status());
            assertEquals(Stage.PRE, report.failedStage());
            assertEquals("table x is missing", report.error());
            assertEquals(List.of("prepare", "abort", "close"), target.calls());
        }
    }

    @Test
    void failureInSyncNamesTheStageAndKeyError() {
        TestSource source = new TestSource(4, 100)
                .failWhen(50, (split, attempt) -> split.id().equals("s2") ? new SyncException(ErrorKind.DATA, "boom in s2") : null);
        TestTarget target = new TestTarget();
        try (SyncEngine engine = engine(source, target)) {
            JobReport report = run(engine, 2);
            assertEquals(JobStatus.FAILED, report.status());
            assertEquals(Stage.SYNC, report.failedStage());
            assertEquals("boom in s2", report.error());
            assertTrue(target.calls().contains("abort"));
            assertFalse(target.calls().contains("commit"));
        }
    }

    @Test
    void failureInPostNamesPost() {
        TestTarget target = new TestTarget().failPost(new SyncException(ErrorKind.EXTERNAL, "postSql failed: syntax"));
        try (SyncEngine engine = engine(new TestSource(1, 10), target)) {
            JobReport report = run(engine, 1);
            assertEquals(Stage.POST, report.failedStage());
            assertEquals("postSql failed: syntax", report.error());
        }
    }

    @Test
    void unexpectedExceptionsAreReportedWithTheirType() {
        TestSource source = new TestSource(1, 10).failPrepare(new IllegalStateException("oops"));
        try (SyncEngine engine = engine(source, new TestTarget())) {
            JobReport report = run(engine, 1);
            assertEquals(Stage.PRE, report.failedStage());
            assertEquals("IllegalStateException: oops", report.error());
        }
    }

    @Test
    void twoJobsInOneEngineNeverShareCounts() {
        TestSource a = new TestSource(3, 1000);
        TestSource b = new TestSource(2, 10);
        List<TestSource> sources = new CopyOnWriteArrayList<>(List.of(a, b));
        try (SyncEngine engine = SyncEngine.builder()
                .connector(new TestConnector(() -> sources.remove(0), TestTarget::new)).build()) {
            JobHandle first = engine.newJob("a").source("test", Map.of()).target("test", Map.of()).submit();
            JobHandle second = engine.newJob("b").source("test", Map.of()).target("test", Map.of()).submit();
            assertEquals(3000, first.await().recordsRead());
            assertEquals(20, second.await().recordsRead());
        }
    }

    @Test
    void illegalTransitionsAreRejectedByTheStateTable() {
        assertTrue(JobStatus.SUBMITTED.canMoveTo(JobStatus.WAITING));
        assertTrue(JobStatus.SUBMITTED.canMoveTo(JobStatus.RUNNING));
        assertTrue(JobStatus.WAITING.canMoveTo(JobStatus.RUNNING));
        assertTrue(JobStatus.RUNNING.canMoveTo(JobStatus.SUCCESS));
        assertFalse(JobStatus.WAITING.canMoveTo(JobStatus.SUCCESS));
        assertFalse(JobStatus.SUCCESS.canMoveTo(JobStatus.RUNNING));
        assertFalse(JobStatus.FAILED.canMoveTo(JobStatus.CANCELLED));
        assertFalse(JobStatus.RUNNING.canMoveTo(JobStatus.WAITING));
    }

    @Test
    void jobRunRefusesAnIllegalMoveNamingBothStatesAndKeepsItsStatus() throws Throwable {
        try (SyncEngine engine = engine(new TestSource(1, 10), new TestTarget())) {
            JobHandle handle = engine.newJob("life").source("test", Map.of()).target("test", Map.of()).submit();
            assertEquals(JobStatus.SUCCESS, handle.await().status());
            int eventsSoFar = events.size();
            IllegalStateException back = assertThrows(IllegalStateException.class, () -> moveTo(handle, JobStatus.RUNNING));
            assertEquals("job 'life' cannot move from SUCCESS to RUNNING", back.getMessage());
            IllegalStateException sideways = assertThrows(IllegalStateException.class,
                    () -> moveTo(handle, JobStatus.CANCELLED));
            assertEquals("job 'life' cannot move from SUCCESS to CANCELLED", sideways.getMessage());
            assertEquals(JobStatus.SUCCESS, handle.status());
            assertEquals(eventsSoFar, events.size(), "a refused move must not be announced");
            IllegalStateException again = assertThrows(IllegalStateException.class, () -> ((Runnable) handle).run());
            assertEquals("job 'life' has already run; submit the job again to run it again", again.getMessage());
            assertEquals(eventsSoFar, events.size(), "running a finished job again does nothing");
        }
    }

    /**
     * Calls {@code moveTo} of JobRun's base, the job's only way to change status, which is not public: no public
     * call reaches an illegal move and lets its exception out.
     */
    private static void moveTo(JobHandle handle, JobStatus next) throws Throwable {
        Method moveTo = JobRun.class.getSuperclass().getDeclaredMethod("moveTo", JobStatus.class, String.class);
        moveTo.setAccessible(true);
        try {
            moveTo.invoke(assertInstanceOf(JobRun.class, handle), next, "test");
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void builderRejectsOptionsSetTwice() {
        try (SyncEngine engine = SyncEngine.builder().build()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> engine.newJob("x").concurrency(2).concurrency(3));
            assertEquals("job 'x': concurrency was already set", e.getMessage());
            assertEquals("job 'x': settings(...) conflicts with concurrency(...)", assertThrows(IllegalStateException.class,
                    () -> engine.newJob("x").settings(JobSettings.DEFAULT).concurrency(3)).getMessage());
            assertEquals("job 'x': settings(...) conflicts with rateLimit(...)", assertThrows(IllegalStateException.class,
                    () -> engine.newJob("x").rateLimit(1, 0).settings(JobSettings.DEFAULT)).getMessage());
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SyncEngine.builder().resourceGroup("etl", 2).resourceGroup("etl", 3));
        assertEquals("resource group 'etl' was already defined", e.getMessage());
    }

    private static String describe(JobEvent event) {
        if (event instanceof JobEvent.StatusChanged s) {
            return s.from() + "->" + s.to();
        }
        if (event instanceof JobEvent.StageStarted s) {
            return "start " + s.stage();
        }
        if (event instanceof JobEvent.StageFinished s) {
            return "end " + s.stage();
        }
        if (event instanceof JobEvent.Finished f) {
            return "finished " + f.report().status();
        }
        return "";
    }
}
