package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the packaged {@code target/sync.jar} as a user would, once per exit code (without
 * {@code FLINK_HOME}, so that a developer's does not change what is tested).
 */
class CliIT {

    @TempDir
    Path dir;

    private record Run(int exitCode, String output) {
    }

    private Run sync(String... args) throws IOException, InterruptedException {
        Path jar = Path.of("target/sync.jar");
        assertTrue(Files.exists(jar), "package the bundle first: " + jar.toAbsolutePath());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("FLINK_HOME");
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "sync did not finish");
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private Path job(String name, String json) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, json);
        return file;
    }

    @Test
    void exitZeroOnSuccessWithLifecycleAndSummary() throws Exception {
        Path job = job("ok.json", """
                {"name": "gen", "source": {"connector": "generator", "rows": 100000},
                 "target": {"connector": "blackhole"}, "settings": {"concurrency": 2}}
                """);
        Path report = dir.resolve("report.json");
        Run run = sync("run", job.toString(), "--report", report.toString());
        assertEquals(0, run.exitCode(), run.output());
        for (String expected : List.of("SUBMITTED -> RUNNING", "stage PRE started", "stage SPLIT started",
                "stage SYNC started", "stage POST finished", "RUNNING -> SUCCESS", "Records read    : 100,000",
                "Average speed", "Dirty data: 0R")) {
            assertTrue(run.output().contains(expected), expected + " missing from:\n" + run.output());
        }
        assertTrue(Files.readString(report).contains("\"status\" : \"SUCCESS\""));
    }

    @Test
    void exitOneOnFailureNamingStageAndErrorWithoutThePassword() throws Exception {
        Path job = job("fail.json", """
                {"name": "unreachable",
                 "source": {"connector": "postgresql", "url": "jdbc:postgresql://127.0.0.1:1/test?password=url-secret-42",
                            "username": "root", "password": "hunter2-topsecret", "table": "t"},
                 "target": {"connector": "blackhole"}}
                """);
        Path report = dir.resolve("report.json");
        Run run = sync("run", job.toString(), "--report", report.toString());
        assertEquals(1, run.exitCode(), run.output());
        assertTrue(run.output().contains("FAILED in stage PRE"), run.output());
        String everything = run.output() + Files.readString(report);
        assertFalse(everything.contains("hunter2-topsecret"), everything);
        assertFalse(everything.contains("url-secret-42"), everything);
    }

    @Test
    void exitTwoWhenAFlinkRunnerFindsNoFlink() throws Exception {
        Path job = job("flink.json", """
                {"name": "gen", "source": {"connector": "generator", "rows": 10}, "target": {"connector": "blackhole"}}
                """);
        Run run = sync("run", job.toString(), "--runner", "flink-local");
        assertEquals(2, run.exitCode(), run.output());
        assertTrue(run.output().startsWith("--runner flink-local needs Apache Flink 2.x's jars, which sync.jar leaves "
                + "out (a Flink cluster brings its own): set FLINK_HOME to a Flink 2.x distribution"), run.output());
    }

    @Test
    void exitTwoOnAnInvalidJobFile() throws Exception {
        Path job = job("bad.json", """
                {"name": "bad", "source": {"connector": "generator"}, "target": {"connector": "blackhole"},
                 "settings": {"concurrency": 0, "rateLimit": {"recordsPerSecond": -1}}}
                """);
        Run run = sync("run", job.toString());
        assertEquals(2, run.exitCode(), run.output());
        assertTrue(run.output().contains("settings.concurrency must be >= 1, got 0"), run.output());
        assertTrue(run.output().contains("settings.rateLimit.recordsPerSecond must be >= 0, got -1"), run.output());
        assertTrue(run.output().contains("source.rows is required"), run.output());
    }
}
