package dev.ferry.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.Split;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.job.RateLimit;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's pieces that need no cluster and no database. */
class FlinkRunnerTest {

    /** A split as connectors write them: a small record. */
    public record RangeSplit(String id, long from, long to) implements Split {
    }

    @TempDir
    Path dir;

    @Test
    void splitsTravelAsVersionedJsonAndAnUnknownVersionIsRefused() throws IOException {
        FerrySplit split = new FerrySplit(2, new RangeSplit("orders[0,500)", 0, 500));
        byte[] bytes = SplitSerializer.INSTANCE.serialize(split);

        assertTrue(new String(bytes, java.nio.charset.StandardCharsets.UTF_8).contains("\"from\":0"));
        assertEquals(split, SplitSerializer.INSTANCE.deserialize(1, bytes));
        IOException refused = assertThrows(IOException.class, () -> SplitSerializer.INSTANCE.deserialize(2, bytes));
        assertTrue(refused.getMessage().contains("version 2"), refused.getMessage());
    }

    @Test
    void theEnumeratorCheckpointKeepsTheUnfinishedSplitsInOrder() throws IOException {
        CopyState state = new CopyState(List.of(new FerrySplit(0, new RangeSplit("a", 0, 1)),
                new FerrySplit(1, new RangeSplit("b", 1, 9))));
        byte[] bytes = CopyState.Serializer.INSTANCE.serialize(state);
        assertEquals(state, CopyState.Serializer.INSTANCE.deserialize(1, bytes));
    }

    @Test
    void theRateLimitIsDividedOverTheParallelReadersRoundingUp() {
        JobSpec spec = FlinkCopyIT.parse(job("csv", Map.of("path", dir + "/x.csv"), "blackhole", Map.of(),
                Map.of("rateLimit", Map.of("recordsPerSecond", 1000, "bytesPerSecond", 10))));
        assertEquals(new RateLimit(334, 4), new CopyJob(spec, "l", 3).rateShare());
        assertEquals(new RateLimit(1000, 10), new CopyJob(spec, "l", 1).rateShare());
        JobSpec unlimited = FlinkCopyIT.parse(job("csv", Map.of("path", dir + "/x.csv"), "blackhole", Map.of(), Map.of()));
        assertEquals(RateLimit.UNLIMITED, new CopyJob(unlimited, "l", 4).rateShare());
    }

    @Test
    void chunksPassByReferenceAndNeverGoOnTheWire() {
        Chunk chunk = new Chunk();
        var serializer = ChunkType.INSTANCE.createSerializer(null);
        assertSame(chunk, serializer.copy(chunk));
        IOException refused = assertThrows(IOException.class, () -> serializer.serialize(chunk,
                new DataOutputSerializer(16)));
        assertTrue(refused.getMessage().contains("one operator chain"), refused.getMessage());
    }

    @Test
    void jobsThatCannotRunOnFlinkAreRefusedBeforeAnythingStartsNamingTheKey() {
        FlinkRunner runner = FlinkRunner.builder().local().build();
        Map<String, Object> csv = Map.of("path", dir + "/x.csv");

        ConfigException fileTarget = assertThrows(ConfigException.class, () -> runner.submit(FlinkCopyIT.parse(
                job("csv", csv, "csv", Map.of("path", dir + "/out.csv"), Map.of()))));
        assertTrue(fileTarget.getMessage().contains("target.connector"), fileTarget.getMessage());
        assertTrue(fileTarget.getMessage().contains("'csv'"), fileTarget.getMessage());

        ConfigException verify = assertThrows(ConfigException.class, () -> runner.submit(FlinkCopyIT.parse(
                job("csv", csv, "blackhole", Map.of(), Map.of("verify", true)))));
        assertTrue(verify.getMessage().contains("settings.verify"), verify.getMessage());
    }

    /**
     * Regression: a valid streaming job was checked as a batch job first, and refused for the keys
     * of a batch job's connectors instead of for its mode.
     */
    @Test
    void aStreamingJobIsRefusedForItsMode() {
        JobSpec spec = FlinkCopyIT.parse("""
                {"name": "pg-stream", "mode": "stream",
                 "source": {"connector": "postgresql", "url": "jdbc:postgresql://127.0.0.1:1/test",
                            "username": "root", "tables": ["public.a"]},
                 "target": {"connector": "postgresql", "url": "jdbc:postgresql://127.0.0.1:1/root",
                            "username": "root"}}
                """);
        ConfigException e = assertThrows(ConfigException.class, () -> FlinkRunner.builder().local().build().submit(spec));
        assertEquals("mode must be batch to run on Flink; streaming jobs run locally, got 'stream'",
                e.violations().get(0).message());
    }

    private static String job(String source, Map<String, Object> sourceOptions, String target,
                              Map<String, Object> targetOptions, Map<String, Object> settings) {
        try {
            return FlinkCopyIT.jobFile("unit", source, sourceOptions, target, targetOptions, settings);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
