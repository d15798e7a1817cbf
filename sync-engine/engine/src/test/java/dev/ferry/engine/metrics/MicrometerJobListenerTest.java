package dev.ferry.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.JobStatus;
import dev.ferry.engine.SyncEngine;
import dev.ferry.engine.testing.TestConnector;
import dev.ferry.engine.testing.TestSource;
import dev.ferry.engine.testing.TestTarget;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MicrometerJobListenerTest {

    @Test
    void aJobsCountersAndDurationReachTheRegistryTaggedWithItsName() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TestSource source = new TestSource(4, 250).dirtyWhen(row -> row % 100 == 7);
        try (SyncEngine engine = SyncEngine.builder().connector(new TestConnector(() -> source, TestTarget::new))
                .listener(new MicrometerJobListener(registry)).build()) {
            JobReport report = engine.newJob("orders").source("test", Map.of()).target("test", Map.of()).run();
            assertEquals(JobStatus.SUCCESS, report.status());
            assertEquals(1000, registry.get("ferry.records.read").tag("job", "orders").gauge().value());
            assertEquals(990, registry.get("ferry.records.written").tag("job", "orders").gauge().value());
            assertEquals(10, registry.get("ferry.dirty.records").tag("job", "orders").gauge().value());
            assertEquals(4, registry.get("ferry.splits.done").tag("job", "orders").gauge().value());
            assertEquals(1, registry.get("ferry.job.duration").tags("job", "orders", "status", "SUCCESS").timer().count());
        }
    }
}
