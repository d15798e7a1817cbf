package dev.ferry.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.Source;
import dev.ferry.api.Target;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.JobStatus;
import dev.ferry.api.state.StateStore;
import dev.ferry.engine.runtime.JobRun;
import dev.ferry.engine.runtime.ReportJson;
import dev.ferry.engine.runtime.Summary;
import dev.ferry.engine.state.InMemoryStateStore;
import dev.ferry.engine.state.JdbcStateStore;
import dev.ferry.engine.testing.LedgerTarget;
import dev.ferry.engine.testing.ResumableSource;
import dev.ferry.engine.testing.TestConnector;
import dev.ferry.engine.testing.TestSource;
import dev.ferry.engine.testing.TestTarget;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batch jobs run with their progress kept: what a second run copies, refuses and reports. */
class ResumableJobTest {

    private static final int SPLITS = 6;
    private static final long ROWS = 100;
    private static final String DESIGN = "orders split by id";
    private static final String WRITES = "table copy, writeMode insert";

    /** A source that fails for good in split {@code s3}, after the first rows of it. */
    private static Source failingAtS3() {
        return new ResumableSource(new TestSource(SPLITS, ROWS).failWhen(ROWS / 2, (split, attempt) ->
                split.id().equals("s3") ? new SyncException(ErrorKind.EXTERNAL, "source lost in s3") : null), DESIGN);
    }

    private static JobReport run(StateStore store, Supplier<Source> source, Supplier<Target> target, int concurrency) {
        try (SyncEngine engine = SyncEngine.builder().stateStore(store)
                .connector(new TestConnector(source, target)).build()) {
            return engine.newJob("orders").source("test", Map.of()).target("test", Map.of()).concurrency(concurrency)
                    .resumable().run();
        }
    }

    private static List<Long> allIds() {
        return LongStream.range(0, SPLITS * ROWS).boxed().toList();
    }

    @Test
    void aFailedRunIsResumedWithOnlyTheSplitsTheTargetDidNotCommit(@TempDir Path dir) {
        LedgerTarget.Database database = new LedgerTarget.Database();
        try (JdbcStateStore store = JdbcStateStore.open(dir.toString())) {
            JobReport failed = run(store, ResumableJobTest::failingAtS3,
                    () -> new LedgerTarget(database, WRITES, false), 1);
            assertEquals(JobStatus.FAILED, failed.status(), failed.error());
            assertEquals(3 * ROWS, database.sortedIds().size(), "s0, s1 and s2 committed before s3 failed");
            assertTrue(store.get(JobRun.progressKey("orders")).isPresent(), "the plan is kept for the next run");

            JobReport resumed = run(store, () -> new ResumableSource(new TestSource(SPLITS, ROWS), DESIGN),
                    () -> new LedgerTarget(database, WRITES, false), 3);

            assertEquals(JobStatus.SUCCESS, resumed.status(), resumed.error());
            assertEquals(allIds(), database.sortedIds(), "every row once: no duplicates, no gaps");
            assertEquals(3 * ROWS, resumed.recordsWritten(), "this run wrote s3, s4 and s5 only");
            assertEquals(3, resumed.resumedSplits());
            assertEquals(3 * ROWS, resumed.resumedRecords());
            assertEquals(List.of("s3", "s4", "s5"), resumed.splits().stream().map(JobReport.SplitReport::id).toList());
            assertEquals(3, resumed.concurrency().configured(), "another concurrency is no change of plan");
            assertEquals(3, ReportJson.toJson(resumed).get("resumedSplits").asLong());
            assertEquals(3 * ROWS, ReportJson.toJson(resumed).get("resumedRecords").asLong());
            assertTrue(Summary.format(resumed).contains("Resumed         : 3 split(s), 300 records written by an "
                    + "earlier run"), Summary.format(resumed));
            assertFalse(store.get(JobRun.progressKey("orders")).isPresent(), "a finished job's plan is removed");
            assertEquals(List.of(), List.copyOf(store.list(JobRun.progressKey("orders") + "/splits/").keySet()));
            String note = store.get(JobRun.progressKey("orders") + "/finished").orElseThrow();
            assertTrue(note.contains(" finished at ") && note.endsWith(", 6 split(s)"), note);
            assertTrue(database.ledgers().isEmpty(), "a finished job's ledger entries are removed");
        }
    }

    @Test
    void aResumedRunDoesNotEmptyTheTargetAgain() {
        LedgerTarget.Database database = new LedgerTarget.Database();
        StateStore store = new InMemoryStateStore();
        run(store, ResumableJobTest::failingAtS3, () -> new LedgerTarget(database, WRITES, true), 1);
        JobReport resumed = run(store, () -> new ResumableSource(new TestSource(SPLITS, ROWS), DESIGN),
                () -> new LedgerTarget(database, WRITES, true), 2);

        assertEquals(JobStatus.SUCCESS, resumed.status(), resumed.error());
        assertEquals(1, database.truncations());
        assertEquals(allIds(), database.sortedIds());
    }

    @Test
    void aFinishedJobLeavesNothingToResumeSoTheNextRunCopiesEverythingAgain() {
        LedgerTarget.Database database = new LedgerTarget.Database();
        StateStore store = new InMemoryStateStore();
        Supplier<Source> source = () -> new ResumableSource(new TestSource(SPLITS, ROWS), DESIGN);
        JobReport first = run(store, source, () -> new LedgerTarget(database, WRITES, true), 2);
        assertTrue(store.get(JobRun.progressKey("orders") + "/finished").isPresent());
        JobReport second = run(store, source, () -> new LedgerTarget(database, WRITES, true), 2);

        assertEquals(JobStatus.SUCCESS, first.status(), first.error());
        assertEquals(JobStatus.SUCCESS, second.status(), second.error());
        assertEquals(SPLITS * ROWS, second.recordsWritten());
        assertEquals(0, second.resumedSplits());
        assertEquals(2, database.truncations(), "a new run, so the target is emptied as the job asks");
        assertEquals(allIds(), database.sortedIds());
    }

    @Test
    void aKeptPlanForAnotherSourceOrTargetIsRefusedNamingBoth() {
        LedgerTarget.Database database = new LedgerTarget.Database();
        StateStore store = new InMemoryStateStore();
        run(store, ResumableJobTest::failingAtS3, () -> new LedgerTarget(database, WRITES, false), 1);

        JobReport refused = run(store, () -> new ResumableSource(new TestSource(SPLITS, ROWS), "orders split by created"),
                () -> new LedgerTarget(database, "table copy, writeMode upsert", false), 1);

        assertEquals(JobStatus.FAILED, refused.status());
        assertEquals("job 'orders' cannot resume the unfinished run kept in the state under 'job/orders': the job "
                + "changed its source (planned for test: orders split by id, now test: orders split by created) "
                + "and its target (written as test: table copy, writeMode insert, now test: table copy, writeMode "
                + "upsert), so the kept splits do not fit it; run the job file that run started with, or start "
                + "afresh with another state (or with the key removed)", refused.error());
        assertEquals(3 * ROWS, database.sortedIds().size(), "nothing more was written");
        assertTrue(store.get(JobRun.progressKey("orders")).isPresent(), "the plan stays for the job it belongs to");
    }

    @Test
    void connectorsThatCannotResumeExactlyAreRefusedBeforeAnythingRuns() {
        TestSource plain = new TestSource(SPLITS, ROWS);
        TestTarget noLedger = new TestTarget();
        try (SyncEngine engine = SyncEngine.builder().connector(new TestConnector(() -> plain, () -> noLedger)).build()) {
            ConfigException e = assertThrows(ConfigException.class, () -> engine.newJob("orders")
                    .source("test", Map.of()).target("test", Map.of()).resumable().submit());
            assertTrue(e.getMessage().contains("source.connector must plan splits that a later run can read again to "
                    + "run with its progress kept (--state); run the job without it, got 'test'"), e.getMessage());
            assertTrue(e.getMessage().contains("target.connector must record each split in the split's own commit to "
                    + "run with its progress kept (--state), or a split committed just before a crash would be "
                    + "written twice; run the job without it, got 'test'"), e.getMessage());
        }
        assertEquals(0, plain.emitted());
        assertEquals(List.of(), noLedger.calls());
    }
}
