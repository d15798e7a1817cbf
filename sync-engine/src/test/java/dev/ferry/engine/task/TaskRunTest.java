package dev.ferry.engine.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.engine.state.InMemoryStateStore;
import dev.ferry.engine.testing.ManualTicker;
import org.junit.jupiter.api.Test;

class TaskRunTest {

    private final InMemoryStateStore store = new InMemoryStateStore();
    private final TaskRun run = new TaskRun("shop", new TaskStore(store, new ManualTicker()), store, null, null, null,
            "me", TaskRun.Mode.RUN);

    @Test
    void aLostPositionTellsToRerunTheTask() {
        String stream = "replication slot 'ferry_shop' no longer exists, so the changes after position 0/16B3F20 are "
                + "lost. A new snapshot is needed: remove the stream's state and start again with "
                + "source.capture.startFrom=snapshot";
        assertEquals("replication slot 'ferry_shop' no longer exists, so the changes after position 0/16B3F20 are "
                + "lost. Every table must be copied again: run `sync.jar task rerun shop` (or Tasks.rerun), which "
                + "re-migrates the tables, copies them and streams from a new position.", run.taskError(stream));
    }

    @Test
    void otherErrorsAreKeptAsTheyAre() {
        assertEquals("target column v is NOT NULL", run.taskError("target column v is NOT NULL"));
    }
}
