package dev.ferry.engine.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.error.ConfigException;
import dev.ferry.api.task.TaskSpec;
import dev.ferry.engine.config.TaskFileParser;
import java.time.LocalDate;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which backfills a task allows: the availability matrix and the table names. */
class BackfillTest {

    private static TaskSpec task(String source, String kind) {
        return new TaskFileParser().parse("""
                {"name": "shop", "source": %s,
                 "target": {"connector": "postgresql", "url": "jdbc:postgresql://h/dw", "kind": "%s"}}
                """.formatted(source, kind));
    }

    private static final String ONE = """
            {"connector": "mariadb", "url": "jdbc:mariadb://h/shop", "tables": ["shop.orders", "crm.*"]}""";

    @Test
    void onlyAPartitionedTargetOfOneEndpointCanBeBackfilledAndAShardedSourceIsToldSoFirst() {
        Backfill.check(task(ONE, "partitioned"), Set.of());
        Backfill.check(task(ONE, "partitioned"), Set.of("shop.orders", "crm.people"));
        ConfigException upsert = assertThrows(ConfigException.class, () -> Backfill.check(task(ONE, "upsert"), Set.of()));
        assertEquals("target.kind", upsert.violations().get(0).key());
        assertTrue(upsert.getMessage().contains("must be partitioned"), upsert.getMessage());
        ConfigException sharded = assertThrows(ConfigException.class, () -> Backfill.check(task("""
                {"connector": "mariadb", "shards": [{"url": "jdbc:mariadb://a/shop"}, {"url": "jdbc:mariadb://b/shop"}],
                 "tables": [{"name": "orders", "physical": "orders_[0-9]+"}]}""", "upsert"), Set.of()));
        assertTrue(sharded.getMessage().contains("cannot be backfilled: its source is sharded"), sharded.getMessage());
    }

    @Test
    void tablesMustBeTheTasks() {
        ConfigException unknown = assertThrows(ConfigException.class,
                () -> Backfill.check(task(ONE, "partitioned"), Set.of("shop.orders", "shop.refunds")));
        assertEquals("--tables", unknown.violations().get(0).key());
        assertEquals("shop.refunds", unknown.violations().get(0).value());
    }

    @Test
    void aRequestToARunnerCarriesTheDateAndTables() {
        Backfill.Request request = new Backfill.Request(LocalDate.of(2026, 12, 1), Set.of("shop.orders"));
        assertEquals("backfill:2026-12-01:shop.orders", request.operation());
        assertEquals(request, Backfill.Request.parse(request.operation()));
        Backfill.Request all = new Backfill.Request(LocalDate.of(2026, 12, 1), Set.of());
        assertEquals(all, Backfill.Request.parse(all.operation()));
    }
}
