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
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskStoreTest {

    @TempDir
    Path dir;

    private final ManualTicker ticker = new ManualTicker();

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
        TaskStore tasks = new TaskStore(JdbcStateStore.open(dir.toString()), ticker);
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
        StateStore shared = JdbcStateStore.open(dir.toString());
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
    void theLastSuccessfulTableListIsKept() {
        TaskStore tasks = new TaskStore(new InMemoryStateStore(), ticker);
        assertEquals(List.of(), tasks.lastSuccessfulTables("shop"));
        tasks.recordSuccessfulTables("shop", List.of("public.orders", "public.customers"));
        assertEquals(List.of("public.orders", "public.customers"), tasks.lastSuccessfulTables("shop"));
    }
}
