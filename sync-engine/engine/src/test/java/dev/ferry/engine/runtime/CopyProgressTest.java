package dev.ferry.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.Split;
import dev.ferry.api.state.StateStore;
import dev.ferry.engine.state.InMemoryStateStore;
import dev.ferry.engine.state.JdbcStateStore;
import dev.ferry.engine.testing.TestSource.RangeSplit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CopyProgressTest {

    private static final ClassLoader LOADER = CopyProgressTest.class.getClassLoader();

    private static List<Split> splits(int count) {
        List<Split> splits = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            long lower = 100_000_000L + i * 5_000;
            splits.add(new RangeSplit("warehouse.order_lines_by_customer[" + lower + "," + (lower + 5_000) + ")", lower,
                    lower + 5_000));
        }
        return splits;
    }

    @Test
    void tenThousandSplitsAreKeptInPagesThatFitTheEmbeddedStore(@TempDir Path dir) {
        CopyProgress plan = new CopyProgress("orders split by id", "table copy, writeMode insert", "ledger-1",
                splits(10_000));
        try (JdbcStateStore store = JdbcStateStore.open(dir.toString())) {
            SplitProgress kept = new SplitProgress(store, "job/orders");
            kept.start(plan);

            assertEquals(plan, kept.plan(LOADER));
            Map<String, String> pages = store.list("job/orders/splits/");
            assertEquals(20, pages.size());
            assertTrue(pages.values().stream().allMatch(page -> page.length() < 200_000), "pages stay small");
            assertTrue(pages.values().stream().mapToInt(String::length).sum() > 1_000_000,
                    "kept whole, the plan would not fit one value of the embedded store");

            kept.forget();
            assertNull(kept.plan(LOADER));
            assertEquals(Map.of(), store.list("job/orders"));
        }
    }

    @Test
    void aPlanKeptWholeUnderItsKeyIsStillRead() {
        StateStore store = new InMemoryStateStore();
        store.put("stream/shop/copying/public.orders", "{\"design\":\"orders split by id\",\"splits\":[{\"type\":\""
                + RangeSplit.class.getName() + "\",\"split\":{\"id\":\"s0\",\"start\":0,\"end\":10}}]}");

        CopyProgress plan = new SplitProgress(store, "stream/shop/copying/public.orders").plan(LOADER);

        assertEquals(new CopyProgress("orders split by id", List.of(new RangeSplit("s0", 0, 10))), plan);
    }

    @Test
    void anEmptyPlanHasNoPages() {
        StateStore store = new InMemoryStateStore();
        new SplitProgress(store, "job/empty").start(new CopyProgress("d", List.of()));

        assertEquals(new CopyProgress("d", List.of()), new SplitProgress(store, "job/empty").plan(LOADER));
        assertEquals(Map.of(), store.list("job/empty/"));
    }
}
