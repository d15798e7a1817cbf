package dev.ferry.connector.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.Target;
import dev.ferry.api.TargetFactory;
import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.config.ConnectorConfig;
import dev.ferry.api.job.JobReport;
import dev.ferry.engine.SyncEngine;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A generator-to-blackhole job through the real engine. */
class EngineEndToEndTest {

    /** A blackhole under another name that keeps the targets it creates, to read their counts. */
    private static final class ProbeConnector implements TargetFactory {
        final List<BlackholeTarget> created = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "blackhole-probe";
        }

        @Override
        public String description() {
            return "A blackhole whose targets the test can inspect.";
        }

        @Override
        public List<ConfigKey> targetKeys() {
            return new BlackholeConnector().targetKeys();
        }

        @Override
        public Target createTarget(ConnectorConfig config) {
            BlackholeTarget target = new BlackholeConnector().createTarget(config);
            created.add(target);
            return target;
        }
    }

    @Test
    void movesEveryGeneratedRowThroughTheEngine() {
        ProbeConnector probe = new ProbeConnector();
        try (SyncEngine engine = SyncEngine.builder().connector(probe).build()) {
            JobReport report = engine.newJob("generate")
                    .source("generator", Map.of("rows", 100_003L, "seed", 7L))
                    .target("blackhole-probe", Map.of())
                    .concurrency(2)
                    .run();
            assertTrue(report.isSuccess(), () -> report.status() + ": " + report.error());
            assertEquals(100_003, report.recordsRead());
            assertEquals(100_003, report.recordsWritten());
            assertEquals(8, report.splits().size());
            assertEquals(100_003, report.splits().stream().mapToLong(JobReport.SplitReport::records).sum());
            long written = probe.created.stream().mapToLong(BlackholeTarget::rowsWritten).sum();
            assertEquals(100_003, written);
        }
    }

    @Test
    void bothConnectorsAreDiscovered() {
        try (SyncEngine engine = SyncEngine.builder().build()) {
            List<String> names = engine.connectors().stream().map(f -> f.name()).toList();
            assertTrue(names.containsAll(List.of("generator", "blackhole")), names::toString);
        }
    }
}
