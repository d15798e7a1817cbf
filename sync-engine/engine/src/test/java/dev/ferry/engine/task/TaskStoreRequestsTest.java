package dev.ferry.engine.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.error.SyncException;
import dev.ferry.engine.state.InMemoryStateStore;
import dev.ferry.engine.testing.ManualTicker;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TaskStoreRequestsTest {

    private final ManualTicker ticker = new ManualTicker();
    private final TaskStore tasks = new TaskStore(new InMemoryStateStore(), ticker);

    @Test
    void aRequestIsAcceptedOnceAndANewOneWaitsUntilThen() {
        TaskStore.Request stop = tasks.request("shop", "stop");
        SyncException pending = assertThrows(SyncException.class, () -> tasks.request("shop", "edit"));
        assertTrue(pending.getMessage().contains("stop request"), pending.getMessage());
        Optional<TaskStore.Request> accepted = tasks.accept("shop");
        assertEquals(stop.id(), accepted.orElseThrow().id());
        assertTrue(accepted.get().accepted() != null);
        assertEquals(Optional.empty(), tasks.accept("shop"), "an accepted request is not taken on twice");
        TaskStore.Request edit = tasks.request("shop", "edit");
        assertEquals("edit", tasks.latestRequest("shop").orElseThrow().operation());
        tasks.withdraw("shop", stop.id());
        assertEquals(edit.id(), tasks.latestRequest("shop").orElseThrow().id(), "only the named request is withdrawn");
        tasks.withdraw("shop", edit.id());
        assertEquals(Optional.empty(), tasks.latestRequest("shop"));
    }

    @Test
    void aLeaseIsLiveUntilItExpiresOrIsReleased() {
        assertEquals(Optional.empty(), tasks.liveLease("shop"));
        String holder = TaskStore.holderName();
        tasks.acquire("shop", holder, Duration.ofSeconds(20));
        assertEquals(holder, tasks.liveLease("shop").orElseThrow().holder());
        ticker.advance(21, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(Optional.empty(), tasks.liveLease("shop"), "expired");
        tasks.acquire("shop", holder, Duration.ofSeconds(20));
        tasks.release("shop", holder);
        assertEquals(Optional.empty(), tasks.liveLease("shop"), "released");
    }

    @Test
    void aLeaseOfAProcessOfThisHostThatDiedIsTakenOverAtOnce() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String mine = TaskStore.holderName();
        String dead = gone.pid() + mine.substring(mine.indexOf('@'), mine.indexOf('#')) + "#deadbeef";
        tasks.acquire("shop", dead, Duration.ofSeconds(20));
        assertEquals(Optional.empty(), tasks.liveLease("shop"), "its process is gone");
        assertEquals(mine, tasks.acquire("shop", mine, Duration.ofSeconds(20)).holder());
        String alive = ProcessHandle.current().pid() + mine.substring(mine.indexOf('@'), mine.indexOf('#')) + "#cafebabe";
        SyncException refused = assertThrows(SyncException.class, () -> {
            tasks.release("shop", mine);
            tasks.acquire("shop", alive, Duration.ofSeconds(20));
            tasks.acquire("shop", TaskStore.holderName(), Duration.ofSeconds(20));
        });
        assertTrue(refused.getMessage().contains("is already run by " + alive), refused.getMessage());
        assertFalse(tasks.liveLease("shop").isEmpty());
    }

    @Test
    void runsAreKeptOldestFirst() {
        java.time.Instant t0 = ticker.now();
        tasks.recordRun("shop", new dev.ferry.api.task.TaskRunRecord(1, "a", t0, t0.plusSeconds(5),
                dev.ferry.api.task.TaskState.STOPPED, null));
        tasks.recordRun("shop", new dev.ferry.api.task.TaskRunRecord(2, "b", t0.plusSeconds(6), t0.plusSeconds(9),
                dev.ferry.api.task.TaskState.FAILED, "slot lost"));
        java.util.List<dev.ferry.api.task.TaskRunRecord> runs = tasks.runs("shop");
        assertEquals(2, runs.size());
        assertEquals("a", runs.get(0).runner());
        assertEquals(dev.ferry.api.task.TaskState.FAILED, runs.get(1).status());
        assertEquals("slot lost", runs.get(1).error());
        assertEquals(t0.plusSeconds(9), runs.get(1).ended());
        assertEquals(java.util.List.of(), tasks.runs("crm"));
    }
}
