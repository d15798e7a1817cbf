package dev.ferry.engine.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.JobStatus;
import dev.ferry.api.job.Stage;
import dev.ferry.api.job.StreamReport;
import dev.ferry.engine.state.InMemoryStateStore;
import dev.ferry.engine.testing.ManualTicker;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskRunTest {

    private final InMemoryStateStore store = new InMemoryStateStore();
    private final TaskRun run = new TaskRun("shop", new TaskStore(store, new ManualTicker()), store, null, null, null,
            "me", TaskRun.Mode.RUN);

    private static JobReport failed(String error, String positionLost) {
        return new JobReport("shop", JobStatus.FAILED, Stage.STREAM, error, 0, 0, 0, 0, List.of(),
                new JobReport.Concurrency(1, 1), "default", Instant.EPOCH, Instant.EPOCH, 0, 0, 0, 0, List.of(), List.of(),
                List.of(), new StreamReport(0, 0, 0, 0, 0, null, 0, 0, positionLost));
    }

    @Test
    void aLostPositionTellsToRerunTheTask() {
        String lost = "replication slot 'ferry_shop' no longer exists, so the changes after position 0/16B3F20 are lost.";
        assertEquals(lost + " Every table must be copied again: run `sync.jar task rerun shop` (or Tasks.rerun), which "
                + "re-migrates the tables, copies them and streams from a new position.",
                run.taskError(failed(lost + " A new snapshot is needed: remove the stream's state", lost)));
    }

    @Test
    void otherErrorsAreKeptAsTheyAre() {
        assertEquals("target column v is NOT NULL", run.taskError(failed("target column v is NOT NULL", null)));
    }
}
