package dev.ferry.engine.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.job.JobMode;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.task.TaskSpec;
import dev.ferry.engine.config.TaskFileParser;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskJobsTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 12, 1);

    private static Map<String, JobSpec> streams(TaskSpec task) {
        return TaskJobs.streams(task, TODAY);
    }

    private static TaskSpec task(String source, String target) {
        return new TaskFileParser().parse("""
                {"name": "shop", "source": %s, "target": %s, "settings": {"concurrency": 3}}
                """.formatted(source, target));
    }

    @Test
    void oneEndpointIsOneStreamOwningTheTablesTheSnapshotStartAndTheMapping() {
        Map<String, JobSpec> jobs = streams(task("""
                {"connector": "postgresql", "url": "jdbc:postgresql://h/db", "username": "u",
                 "tables": ["public.orders", {"name": "public.items", "target": "shop.order_items", "splitPk": "line"},
                            "inventory.*"]}""", """
                {"connector": "mariadb", "url": "jdbc:mariadb://h/db", "kind": "upsert", "schema": "ods",
                 "tablePrefix": "pg_"}"""));
        assertEquals(List.of(""), List.copyOf(jobs.keySet()));
        JobSpec job = jobs.get("");
        assertEquals("shop", job.name());
        assertEquals(JobMode.STREAM, job.mode());
        assertEquals(3, job.settings().concurrency());
        Map<String, Object> source = job.source().options();
        assertEquals(List.of("public.orders", "public.items", "inventory.*"), source.get("tables"));
        assertEquals("snapshot", source.get("capture.startFrom"));
        assertEquals(List.of("public.items=line"), source.get("capture.splitPk"));
        assertEquals("jdbc:postgresql://h/db", source.get("url"));
        Map<String, Object> target = job.target().options();
        assertEquals(List.of("public.items=shop.order_items"), target.get("tableMapping"));
        assertEquals("ods", target.get("schema"));
        assertEquals("pg_", target.get("tablePrefix"));
        assertTrue(!target.containsKey("kind"), "kind is the task's, not the connector's");
    }

    @Test
    void aShardedSourceIsOneStreamPerShardAndPhysicalTablesWriteOneTargetTable() {
        Map<String, JobSpec> jobs = streams(task("""
                {"connector": "mariadb", "username": "u", "password": "p",
                 "shards": [{"url": "jdbc:mariadb://a/shop"}, {"url": "jdbc:mariadb://b/shop", "username": "v",
                             "password": "q"}],
                 "tables": [{"name": "orders", "physical": "orders_[0-9]+"},
                            {"name": "crm.people", "physical": "people_(eu|us)"}]}""", """
                {"connector": "postgresql", "url": "jdbc:postgresql://h/db", "schema": "dw", "tablePrefix": "s_"}"""));
        assertEquals(List.of("shard0", "shard1"), List.copyOf(jobs.keySet()));
        JobSpec first = jobs.get("shard0");
        JobSpec second = jobs.get("shard1");
        assertEquals("shop-shard0", first.name());
        assertEquals("jdbc:mariadb://a/shop", first.source().options().get("url"));
        assertEquals("u", first.source().options().get("username"));
        assertEquals("p", first.source().options().get("password"));
        assertEquals("jdbc:mariadb://b/shop", second.source().options().get("url"));
        assertEquals("v", second.source().options().get("username"));
        assertEquals("q", second.source().options().get("password"));
        assertEquals(List.of("~./orders_[0-9]+/", "crm./people_(eu|us)/"), first.source().options().get("tables"));
        assertEquals(List.of("~./orders_[0-9]+/=dw.s_orders", "crm./people_(eu|us)/=dw.s_people"),
                first.target().options().get("tableMapping"));
    }

    @Test
    void aPartitionedTargetGetsItsPartitioningAndTheDateItsInitializationWrites() {
        Map<String, JobSpec> jobs = streams(task("""
                {"connector": "postgresql", "url": "jdbc:postgresql://h/db", "tables": ["public.orders"]}""", """
                {"connector": "duckdb", "url": "jdbc:duckdb:/w.duckdb", "kind": "partitioned",
                 "partition": {"column": "biz_date", "format": "yyyy-MM-dd"},
                 "merge": {"at": "01:15", "zone": "Asia/Shanghai"}}"""));
        Map<String, Object> target = jobs.get("").target().options();
        assertEquals(true, target.get("partitioned"));
        assertEquals("biz_date", target.get("partitionColumn"));
        assertEquals("yyyy-MM-dd", target.get("partitionFormat"));
        assertEquals("Asia/Shanghai", target.get("partitionZone"));
        assertEquals("2026-12-01", target.get("partitionDate"));
        assertTrue(!target.containsKey("merge.at") && !target.containsKey("partition.column"), target.toString());
    }

    @Test
    void partitionAndMergeKeysAreCheckedAndOnlyForAPartitionedTarget() {
        TaskFileParser.Result bad = new TaskFileParser().read("""
                {"name": "shop", "source": {"connector": "postgresql", "url": "jdbc:postgresql://h/db",
                 "tables": ["public.orders"]},
                 "target": {"connector": "duckdb", "url": "jdbc:duckdb:", "kind": "partitioned",
                            "partition": {"column": "bad column", "format": "yyyyMM", "by": "day"},
                            "merge": {"at": "25:00", "zone": "Mars/Olympus"}}}""");
        Map<String, String> rules = new java.util.TreeMap<>();
        bad.violations().forEach(v -> rules.put(v.key(), v.value() + " " + v.rule()));
        assertEquals(List.of("target.merge.at", "target.merge.zone", "target.partition.by", "target.partition.column",
                "target.partition.format"), List.copyOf(rules.keySet()), rules.toString());
        assertTrue(rules.get("target.merge.zone").startsWith("'Mars/Olympus'"), rules.toString());
        TaskFileParser.Result upsert = new TaskFileParser().read("""
                {"name": "shop", "source": {"connector": "postgresql", "url": "jdbc:postgresql://h/db",
                 "tables": ["public.orders"]},
                 "target": {"connector": "mariadb", "url": "jdbc:mariadb://h/db", "merge": {"at": "01:00"}}}""");
        assertEquals("target.merge.at", upsert.violations().get(0).key());
        assertTrue(upsert.violations().get(0).rule().contains("only for a partitioned target"), upsert.violations().toString());
    }
}
