package dev.ferry.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.Violation;
import dev.ferry.api.job.BufferSettings;
import dev.ferry.api.job.DirtyDataPolicy;
import dev.ferry.api.job.JobSettings;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.job.Runner;
import dev.ferry.api.job.RateLimit;
import dev.ferry.api.job.RetryPolicy;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobFileParserTest {

    private final JobFileParser parser = new JobFileParser();

    private List<String> problems(String json) {
        ConfigException e = assertThrows(ConfigException.class, () -> parser.parse(json));
        return e.violations().stream().map(Violation::message).toList();
    }

    @Test
    void minimalJobTakesEveryDefault() {
        JobSpec spec = parser.parse("""
                {"name": "copy", "source": {"connector": "csv", "path": "in.csv"}, "target": {"connector": "blackhole"}}
                """);
        assertEquals("copy", spec.name());
        assertEquals("csv", spec.source().connector());
        assertEquals(Map.of("path", "in.csv"), spec.source().options());
        assertEquals(Map.of(), spec.target().options());
        assertEquals(JobSettings.DEFAULT, spec.settings());
    }

    @Test
    void everySettingIsMapped() {
        JobSpec spec = parser.parse("""
                {"name": "orders-copy",
                 "source": {"connector": "generator", "rows": 10, "columns": [{"name": "id", "type": "int64"}]},
                 "target": {"connector": "jsonl", "path": "out/"},
                 "settings": {"concurrency": 8,
                              "rateLimit": {"recordsPerSecond": 1000, "bytesPerSecond": 2048},
                              "dirtyData": {"maxRecords": 5, "maxPercent": 1.5, "file": "dirty.jsonl"},
                              "resourceGroup": "etl",
                              "retry": {"maxAttempts": 5, "backoffMillis": 10},
                              "buffer": {"records": 4096, "bytes": 1048576, "batchSize": 512},
                              "progressIntervalMillis": 2000, "verify": true}}
                """);
        JobSettings s = spec.settings();
        assertEquals(8, s.concurrency());
        assertEquals(new RateLimit(1000, 2048), s.rateLimit());
        assertEquals(new DirtyDataPolicy(5L, 1.5, "dirty.jsonl"), s.dirtyData());
        assertEquals("etl", s.resourceGroup());
        assertEquals(new RetryPolicy(5, 10), s.retry());
        assertEquals(new BufferSettings(4096, 1 << 20, 512), s.buffer());
        assertEquals(2000, s.progressIntervalMillis());
        assertEquals(true, s.verify());
        assertEquals(BigInteger.TEN, spec.source().options().get("rows"));
        assertEquals(List.of(Map.of("name", "id", "type", "int64")), spec.source().options().get("columns"));
    }

    @Test
    void verifyIsABooleanForBatchJobsOnly() {
        assertEquals(false, JobSettings.DEFAULT.verify());
        assertEquals(List.of("settings.verify must be true or false, got \"yes\""), problems("""
                {"name": "n", "source": {"connector": "a"}, "target": {"connector": "b"}, "settings": {"verify": "yes"}}
                """));
        assertEquals(List.of("settings.verify is for batch jobs (a stream's target keeps changing), got true"), problems("""
                {"name": "n", "mode": "stream", "source": {"connector": "a"}, "target": {"connector": "b"},
                 "settings": {"verify": true}}
                """));
    }

    @Test
    void nullLimitsMeanNoLimit() {
        JobSpec spec = parser.parse("""
                {"name": "n", "source": {"connector": "a"}, "target": {"connector": "b"},
                 "settings": {"dirtyData": {"maxRecords": null, "maxPercent": null, "file": null}}}
                """);
        assertEquals(DirtyDataPolicy.TOLERATE, spec.settings().dirtyData());
    }

    @Test
    void everyViolationIsReportedAtOnceWithKeyValueAndRule() {
        assertEquals(List.of(
                "unknown is not a known key (known keys: name, mode, source, target, settings)",
                "name must be a non-blank string, got 42",
                "source.connector is required and must name a connector",
                "target is required (an object with \"connector\" and its keys)",
                "settings.colour is not a known key (known keys: concurrency, rateLimit, dirtyData, resourceGroup, retry, buffer, progressIntervalMillis, stream, verify, runner, flinkMaster)",
                "settings.concurrency must be >= 1, got 0",
                "settings.progressIntervalMillis must be >= 100, got 5",
                "settings.rateLimit.recordsPerSecond must be >= 0, got -1",
                "settings.rateLimit.bytesPerSecond must be an integer, got \"fast\"",
                "settings.dirtyData.maxRecords must be >= 0, got -3",
                "settings.dirtyData.maxPercent must be between 0 and 100, got 101",
                "settings.retry.maxAttempts must be >= 1, got 0",
                "settings.buffer.extra is not a known key (known keys: records, bytes, batchSize)",
                "settings.buffer.bytes must be >= 1024, got 10",
                "settings.buffer.batchSize must be <= 100, got 200"),
                problems("""
                        {"unknown": 1, "name": 42, "source": {"path": "x"},
                         "settings": {"colour": "red", "concurrency": 0, "progressIntervalMillis": 5,
                                      "rateLimit": {"recordsPerSecond": -1, "bytesPerSecond": "fast"},
                                      "dirtyData": {"maxRecords": -3, "maxPercent": 101},
                                      "retry": {"maxAttempts": 0},
                                      "buffer": {"records": 100, "bytes": 10, "batchSize": 200, "extra": true}}}
                        """));
    }

    @Test
    void typeErrorsNameTheExpectedType() {
        assertEquals(List.of("settings.concurrency must be an integer, got \"4\"",
                        "settings.resourceGroup must be a string, got 7",
                        "settings.rateLimit must be an object, got 5",
                        "settings.dirtyData.maxPercent must be a number, got \"1%\""),
                problems("""
                        {"name": "n", "source": {"connector": "a"}, "target": {"connector": "b"},
                         "settings": {"concurrency": "4", "resourceGroup": 7, "dirtyData": {"maxPercent": "1%"},
                                      "rateLimit": 5}}
                        """));
    }

    @Test
    void blankResourceGroupIsRejected() {
        assertEquals(List.of("settings.resourceGroup must not be blank, got ' '"), problems("""
                {"name": "n", "source": {"connector": "a"}, "target": {"connector": "b"}, "settings": {"resourceGroup": " "}}
                """));
    }

    @Test
    void theRunnerIsLocalFlinkWithItsRestEndpointOrFlinkLocal() {
        String job = "{\"name\": \"n\", \"source\": {\"connector\": \"a\"}, \"target\": {\"connector\": \"b\"}, "
                + "\"settings\": %s}";
        assertEquals(Runner.LOCAL, parser.parse(job.formatted("{}")).settings().runner());
        assertEquals(new Runner(Runner.Kind.FLINK, "jm.example:8081"), parser.parse(job.formatted(
                "{\"runner\": \"flink\", \"flinkMaster\": \"jm.example:8081\"}")).settings().runner());
        assertEquals(new Runner(Runner.Kind.FLINK_LOCAL, null), parser.parse(job.formatted(
                "{\"runner\": \"flink-local\"}")).settings().runner());

        assertEquals(List.of("settings.runner must be local, flink or flink-local, got 'spark'"),
                problems(job.formatted("{\"runner\": \"spark\"}")));
        assertEquals(List.of("settings.flinkMaster must name the Flink cluster's REST endpoint as HOST:PORT when "
                + "settings.runner is flink"), problems(job.formatted("{\"runner\": \"flink\"}")));
        assertEquals(List.of("settings.flinkMaster is only for settings.runner flink (now 'flink-local'), got 'jm:8081'"),
                problems(job.formatted("{\"runner\": \"flink-local\", \"flinkMaster\": \"jm:8081\"}")));
        assertEquals(List.of("settings.flinkMaster must be HOST:PORT, the REST endpoint of the cluster's JobManager "
                + "(e.g. jobmanager:8081), got 'http://jm:8081'"), problems(job.formatted(
                "{\"runner\": \"flink\", \"flinkMaster\": \"http://jm:8081\"}")));
        assertEquals(List.of("settings.flinkMaster must end in a port from 1 to 65535 (HOST:PORT), got 'jm:99999'"),
                problems(job.formatted("{\"runner\": \"flink\", \"flinkMaster\": \"jm:99999\"}")));
    }

    @Test
    void malformedJsonSaysWhere() {
        List<String> problems = problems("{\"name\": \"n\",\n \"source\": }");
        assertEquals(1, problems.size());
        assertEquals(true, problems.get(0).startsWith("job file must be valid JSON at line 2, column "), problems.get(0));
    }

    @Test
    void duplicateKeysAreRejected() {
        List<String> problems = problems("{\"name\": \"a\", \"name\": \"b\", \"source\": {\"connector\": \"x\"}, \"target\": {\"connector\": \"y\"}}");
        assertEquals(true, problems.get(0).contains("Duplicate field 'name'"), problems.get(0));
    }

    @Test
    void missingFileIsAClearError() {
        ConfigException e = assertThrows(ConfigException.class, () -> parser.parse(Path.of("no/such/job.json")));
        assertEquals("invalid job: job file must exist, got 'no/such/job.json'", e.getMessage());
    }

    @Test
    void topLevelMustBeAnObject() {
        assertEquals(List.of("job file must be a JSON object, got [1,2]"), problems("[1,2]"));
    }
}
