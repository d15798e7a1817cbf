package dev.ferry.connector.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.JobStatus;
import dev.ferry.engine.SyncEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** csv and jsonl jobs through the real engine. */
class EngineEndToEndTest {

    @TempDir
    Path dir;

    private static final List<Map<String, Object>> COLUMNS = List.of(
            Map.of("name", "id", "type", "int64"),
            Map.of("name", "amount", "type", "decimal"),
            Map.of("name", "day", "type", "date"));

    @Test
    void copiesCsvFilesIntoOneJsonlFileAndBack() throws IOException {
        for (int f = 0; f < 8; f++) {
            StringBuilder csv = new StringBuilder("id,amount,day\n");
            for (int r = 0; r < 100; r++) {
                int id = f * 100 + r;
                csv.append(id).append(',').append(id).append(".50,2024-01-").append(String.format("%02d", r % 28 + 1)).append('\n');
            }
            if (f == 3) {
                csv.append("x,1,2024-01-01\n");
            }
            Files.writeString(dir.resolve("in-" + f + ".csv"), csv);
        }
        Path jsonl = dir.resolve("out/all.jsonl");
        try (SyncEngine engine = SyncEngine.builder().build()) {
            JobReport report = engine.newJob("csv-to-jsonl")
                    .source("csv", Map.of("path", dir + "/in-*.csv", "columns", COLUMNS))
                    .target("jsonl", Map.of("path", jsonl.toString()))
                    .concurrency(4)
                    .run();
            assertTrue(report.isSuccess(), () -> report.status() + ": " + report.error());
            assertEquals(8, report.splits().size());
            assertEquals(800, report.recordsWritten());
            assertEquals(1, report.dirtyRecords());
            List<String> lines = Files.readAllLines(jsonl);
            assertEquals(800, lines.size());
            assertEquals("{\"id\":0,\"amount\":0.50,\"day\":\"2024-01-01\"}", lines.get(0));
            assertEquals("{\"id\":799,\"amount\":799.50,\"day\":\"2024-01-16\"}", lines.get(799));

            JobReport back = engine.newJob("jsonl-to-csv")
                    .source("jsonl", Map.of("path", jsonl.toString(), "columns", COLUMNS))
                    .target("csv", Map.of("path", dir + "/back/"))
                    .concurrency(2)
                    .run();
            assertTrue(back.isSuccess(), () -> back.status() + ": " + back.error());
            assertEquals(800, back.recordsWritten());
            List<String> csv = Files.readAllLines(dir.resolve("back/part-all.jsonl.csv"));
            assertEquals("id,amount,day", csv.get(0));
            assertEquals("799,799.50,2024-01-16", csv.get(800));
        }
        try (Stream<Path> files = Files.list(dir.resolve("out"))) {
            assertEquals(List.of("all.jsonl"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void aFailedJobLeavesNoOutput() throws IOException {
        Files.writeString(dir.resolve("in.csv"), "id,amount,day\n1,x,2024-01-01\n2,y,2024-01-02\n");
        Path out = dir.resolve("out.csv");
        try (SyncEngine engine = SyncEngine.builder().build()) {
            JobReport report = engine.newJob("too-dirty")
                    .source("csv", Map.of("path", dir + "/in.csv", "columns", COLUMNS))
                    .target("csv", Map.of("path", out.toString()))
                    .dirtyData(new dev.ferry.api.job.DirtyDataPolicy(0L, null, null))
                    .run();
            assertEquals(JobStatus.FAILED, report.status());
        }
        assertFalse(Files.exists(out));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("in.csv"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void aMissingInputIsAConfigurationError() {
        try (SyncEngine engine = SyncEngine.builder().build()) {
            JobReport report = engine.newJob("nothing")
                    .source("csv", Map.of("path", dir + "/x/*.csv"))
                    .target("jsonl", Map.of("path", dir + "/o.jsonl"))
                    .run();
            assertEquals(JobStatus.FAILED, report.status());
            assertTrue(report.error().contains("source.path matched no file, got '" + dir + "/x/*.csv'"), report.error());
        }
    }
}
