package dev.ferry.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.api.error.ConfigException;
import dev.ferry.api.job.JobSpec;
import dev.ferry.engine.SyncEngine;
import org.junit.jupiter.api.Test;

/** What the runner refuses before submitting anything; nothing here connects anywhere. */
class FlinkRunnerTest {

    /**
     * Regression: a valid streaming job was checked as a batch job first, and refused for the keys
     * of a batch job's connectors instead of for its mode.
     */
    @Test
    void aStreamingJobIsRefusedForItsMode() {
        JobSpec spec;
        try (SyncEngine engine = SyncEngine.builder().build()) {
            spec = engine.parseJob("""
                    {"name": "pg-stream", "mode": "stream",
                     "source": {"connector": "postgresql", "url": "jdbc:postgresql://127.0.0.1:1/test",
                                "username": "root", "tables": ["public.a"]},
                     "target": {"connector": "postgresql", "url": "jdbc:postgresql://127.0.0.1:1/root",
                                "username": "root"}}
                    """);
        }
        ConfigException e = assertThrows(ConfigException.class, () -> FlinkRunner.builder().local().build().submit(spec));
        assertEquals("mode must be batch to run on Flink; streaming jobs run locally, got 'stream'",
                e.violations().get(0).message());
    }
}
