package dev.ferry.engine.runtime;

import dev.ferry.api.config.Redaction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.api.job.DirtyRecord;
import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.JobStatus;
import dev.ferry.api.job.Stage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportJsonTest {

    private static final JobReport REPORT = new JobReport("orders", JobStatus.FAILED, Stage.SYNC, "boom", 100, 90, 10,
            4096, List.of(new JobReport.SplitReport("s0", 60), new JobReport.SplitReport("s1", 40)),
            new JobReport.Concurrency(4, 2), "default", Instant.parse("2026-01-01T00:00:00Z"),
            Instant.parse("2026-01-01T00:00:01.500Z"), 1500, 3, 66.5, 2730.6,
            List.of(new JobReport.StageTiming(Stage.PRE, 5), new JobReport.StageTiming(Stage.SYNC, 1490)),
            List.of("no splitPk"), List.of(new DirtyRecord("s0", 1, "read", "bad int", "x,y")));

    @Test
    void reportHasEveryContractKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("reports/r.json");
        ReportJson.write(REPORT, file);
        JsonNode json = new ObjectMapper().readTree(Files.readString(file));
        List<String> keys = new ArrayList<>();
        json.fieldNames().forEachRemaining(keys::add);
        assertTrue(keys.containsAll(List.of("name", "status", "failedStage", "error", "recordsRead", "recordsWritten",
                "dirtyRecords", "bytes", "splits", "concurrency", "startedAt", "endedAt", "durationMillis",
                "recordsPerSecond", "stages", "resumedSplits", "resumedRecords")), keys.toString());
        assertEquals(0, json.get("resumedSplits").asLong(), "a run that resumed nothing");
        assertEquals("FAILED", json.get("status").asText());
        assertEquals("SYNC", json.get("failedStage").asText());
        assertEquals("s1", json.get("splits").get(1).get("id").asText());
        assertEquals(40, json.get("splits").get(1).get("records").asLong());
        assertEquals(4, json.get("concurrency").get("configured").asInt());
        assertEquals(2, json.get("concurrency").get("actual").asInt());
        assertEquals("2026-01-01T00:00:01.500Z", json.get("endedAt").asText());
        assertEquals("SYNC", json.get("stages").get(1).get("name").asText());
        assertEquals(1490, json.get("stages").get(1).get("durationMillis").asLong());
        assertEquals(66.5, json.get("recordsPerSecond").asDouble());
        assertEquals("bad int", json.get("dirtySamples").get(0).get("reason").asText());
        try (var listing = Files.list(file.getParent())) {
            assertEquals(1, listing.count(), "no temporary file is left behind");
        }
    }

    @Test
    void summaryShowsRecordsSpeedDirtyAndTheFailure() {
        String summary = Summary.format(REPORT);
        List<String> lines = summary.lines().map(String::strip).toList();
        assertEquals("Job             : orders FAILED", lines.get(0), summary);
        assertTrue(lines.contains("Failed stage    : SYNC"), summary);
        assertTrue(lines.contains("Error           : boom"), summary);
        assertTrue(lines.contains("Records read    : 100"), summary);
        assertTrue(lines.contains("Average speed   : 67 records/s, 0.00 MB/s"), summary);
        // The README promises this line word for word: "Dirty data: NR".
        assertEquals(List.of("Dirty data: 10R"), lines.stream().filter(l -> l.startsWith("Dirty data")).toList(),
                summary);
        assertTrue(summary.contains("configured 4, actual 2"), summary);
    }

    @Test
    void redactorMasksKnownSecretsAndPasswordParameters() {
        Redaction redaction = Redaction.of(List.of("hunter2", ""));
        assertEquals("login as bob/****** failed", redaction.apply("login as bob/hunter2 failed"));
        assertEquals("jdbc:postgresql://h/db?user=a&password=******&ssl=true",
                redaction.apply("jdbc:postgresql://h/db?user=a&password=topsecret&ssl=true"));
        assertEquals("pwd: ******", redaction.apply("pwd: xyz"));
        assertEquals(null, redaction.apply(null));
        assertEquals("nothing to hide", Redaction.NONE.apply("nothing to hide"));
    }
}
