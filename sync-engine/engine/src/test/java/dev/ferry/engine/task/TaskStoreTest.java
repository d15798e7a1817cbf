package dev.ferry.engine.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.error.SyncException;
import dev.ferry.api.state.StateStore;
import dev.ferry.engine.state.InMemoryStateStore;
import dev.ferry.engine.state.JdbcStateStore;
import dev.ferry.engine.testing.ManualTicker;
import java.nio.file.Path;
import dev.ferry.api.task.MergeInstance;
import dev.ferry.api.task.StageState;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskStoreTest {

    @TempDir
    Path dir;

    private final ManualTicker ticker = new ManualTicker();
    private JdbcStateStore opened;

    /** The test's embedded store, closed after the test so that its files can be removed. */
    private JdbcStateStore store() {
        opened = JdbcStateStore.open(dir.toString());
        return opened;
    }

    @AfterEach
    void closeStore() {
        if (opened != null) {
            opened.close();
        }
    }

    @Test
    void versionsAreCommittedInOrderAndTheSameFileCommitsNothing() {
        TaskStore tasks = new TaskStore(new InMemoryStateStore(), ticker);
        assertEquals(0, tasks.currentVersion("shop"));
        assertEquals(1, tasks.commit("shop", "{\"v\":1}"));
        assertEquals(1, tasks.commit("shop", "{\"v\":1}"), "an unchanged file is not a new version");
        assertEquals(2, tasks.commit("shop", "{\"v\":2}"));
        assertEquals(Optional.of("{\"v\":1}"), tasks.version("shop", 1));
        assertEquals(Optional.of("{\"v\":2}"), tasks.version("shop", 2));
        tasks.commit("crm", "{}");
        assertEquals(List.of("crm", "shop"), tasks.tasks());
    }

    @Test
    void concurrentCommitsGetDistinctVersions() throws Exception {
        TaskStore tasks = new TaskStore(store(), ticker);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> versions = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String file = "{\"n\":" + i + "}";
                versions.add(pool.submit(() -> tasks.commit("shop", file)));
            }
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            for (Future<Integer> v : versions) {
                seen.add(v.get(30, TimeUnit.SECONDS));
            }
            assertEquals(java.util.Set.of(1, 2, 3, 4, 5, 6, 7, 8), seen);
            assertEquals(8, tasks.currentVersion("shop"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSecondRunnerIsRefusedNamingTheHolderUntilTheLeaseExpires() {
        StateStore shared = store();
        TaskStore first = new TaskStore(shared, ticker);
        TaskStore second = new TaskStore(shared, ticker);
        first.acquire("shop", "pid 101 on host-a", Duration.ofSeconds(30));
        SyncException refused = assertThrows(SyncException.class,
                () -> second.acquire("shop", "pid 202 on host-b", Duration.ofSeconds(30)));
        assertTrue(refused.getMessage().startsWith("task 'shop' is already run by pid 101 on host-a"), refused.getMessage());
        assertTrue(refused.getMessage().contains("sync.jar task stop shop"), refused.getMessage());
        ticker.advance(20, TimeUnit.SECONDS);
        first.renew("shop", "pid 101 on host-a", Duration.ofSeconds(30));
        ticker.advance(20, TimeUnit.SECONDS);
        assertThrows(SyncException.class, () -> second.acquire("shop", "pid 202 on host-b", Duration.ofSeconds(30)),
                "the renewed lease still holds");
        ticker.advance(31, TimeUnit.SECONDS);
        second.acquire("shop", "pid 202 on host-b", Duration.ofSeconds(30));
        SyncException lost = assertThrows(SyncException.class,
                () -> first.renew("shop", "pid 101 on host-a", Duration.ofSeconds(30)));
        assertTrue(lost.getMessage().contains("lost its lease to pid 202 on host-b"), lost.getMessage());
        first.release("shop", "pid 101 on host-a");
        assertEquals("pid 202 on host-b", second.lease("shop").orElseThrow().holder(), "releasing another's lease does nothing");
        second.release("shop", "pid 202 on host-b");
        assertEquals(Optional.empty(), second.lease("shop"));
    }

    @Test
    void oneOperationWritesABusinessDateAtATimeAcrossProcesses() {
        StateStore shared = store();
        TaskStore merging = new TaskStore(shared, ticker);
        TaskStore backfilling = new TaskStore(shared, ticker);
        LocalDate date = LocalDate.of(2026, 12, 1);
        merging.lockDate("shop", date, "pid 101 on host-a merge", Duration.ofSeconds(60));
        SyncException refused = assertThrows(SyncException.class, () -> backfilling.lockDate("shop", date,
                "pid 202 on host-b backfill", Duration.ofSeconds(60)));
        assertTrue(refused.getMessage().startsWith("Business Date 2026-12-01 of task 'shop' is being written by pid 101 on "
                + "host-a merge"), refused.getMessage());
        backfilling.lockDate("shop", date.plusDays(1), "pid 202 on host-b backfill", Duration.ofSeconds(60));
        assertEquals("pid 101 on host-a merge", backfilling.dateHolder("shop", date).orElseThrow().holder());
        ticker.advance(50, TimeUnit.SECONDS);
        merging.renewDate("shop", date, "pid 101 on host-a merge", Duration.ofSeconds(60));
        ticker.advance(50, TimeUnit.SECONDS);
        assertThrows(SyncException.class, () -> backfilling.lockDate("shop", date, "pid 202 on host-b backfill",
                Duration.ofSeconds(60)), "the renewed hold still holds");
        merging.unlockDate("shop", date, "pid 101 on host-a merge");
        assertEquals(Optional.empty(), backfilling.dateHolder("shop", date));
        backfilling.lockDate("shop", date, "pid 202 on host-b backfill", Duration.ofSeconds(60));
    }

    @Test
    void mergesAreRecordedByDateLatestFirst() {
        TaskStore tasks = new TaskStore(new InMemoryStateStore(), ticker);
        LocalDate first = LocalDate.of(2026, 11, 30);
        tasks.saveMerge("shop", new MergeInstance(first, StageState.DONE, Instant.EPOCH, Instant.EPOCH.plusSeconds(4), 10,
                null));
        MergeInstance failed = new MergeInstance(first.plusDays(1), StageState.FAILED, Instant.EPOCH, Instant.EPOCH, 0,
                "the partition of 2026-11-30 is missing");
        tasks.saveMerge("shop", failed);
        assertEquals(List.of(first.plusDays(1), first), tasks.merges("shop", 7).stream().map(MergeInstance::date).toList());
        assertEquals(List.of(failed), tasks.merges("shop", 1));
        assertEquals(Optional.of(failed), tasks.merge("shop", first.plusDays(1)));
        assertEquals(List.of(), tasks.merges("crm", 7));
    }

    @Test
    void theLastSuccessfulTableListIsKept() {
        TaskStore tasks = new TaskStore(new InMemoryStateStore(), ticker);
        assertEquals(List.of(), tasks.lastSuccessfulTables("shop"));
        tasks.recordSuccessfulTables("shop", List.of("public.orders", "public.customers"));
        assertEquals(List.of("public.orders", "public.customers"), tasks.lastSuccessfulTables("shop"));
    }
}
