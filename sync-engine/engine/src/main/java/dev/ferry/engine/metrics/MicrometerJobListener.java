package dev.ferry.engine.metrics;

import dev.ferry.api.job.JobEvent;
import dev.ferry.api.job.JobListener;
import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.Progress;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Publishes every job's counters to a Micrometer {@link MeterRegistry}, tagged with the job's
 * name: {@code ferry.records.read}, {@code ferry.records.written}, {@code ferry.bytes},
 * {@code ferry.dirty.records}, {@code ferry.splits.done} and, for streams, {@code ferry.stream.lag}
 * (milliseconds) as gauges of the latest progress; {@code ferry.job.duration} as a timer tagged
 * with the final status. Register it with {@code SyncEngine.builder().listener(...)}.
 *
 * <p>Micrometer is an optional dependency of the engine: this class is the only one that needs
 * it, so an application without Micrometer never loads it.
 *
 * <p>Threading: safe for concurrent use; events of one job arrive in order.
 */
public final class MicrometerJobListener implements JobListener {

    private final MeterRegistry registry;
    private final Map<String, Progress> latest = new ConcurrentHashMap<>();
    private final Map<String, Boolean> registered = new ConcurrentHashMap<>();

    public MicrometerJobListener(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void onEvent(JobEvent event) {
        if (event instanceof JobEvent.ProgressReported reported) {
            record(reported.job(), reported.progress());
        } else if (event instanceof JobEvent.Finished finished) {
            JobReport r = finished.report();
            record(r.name(), new Progress(r.name(), r.recordsRead(), r.recordsWritten(), r.bytes(), r.dirtyRecords(),
                    r.splits().size(), r.splits().size(), r.durationMillis(), r.recordsPerSecond(),
                    r.stream() == null ? 0 : r.stream().lagMillis(), r.stream() == null ? null : r.stream().position()));
            Timer.builder("ferry.job.duration").tags(Tags.of("job", r.name(), "status", r.status().name()))
                    .register(registry).record(Duration.ofMillis(r.durationMillis()));
        }
    }

    private void record(String job, Progress progress) {
        latest.put(job, progress);
        if (registered.putIfAbsent(job, Boolean.TRUE) == null) {
            Tags tags = Tags.of("job", job);
            gauge("ferry.records.read", "records read, dirty ones included", tags, job, p -> p.recordsRead());
            gauge("ferry.records.written", "records written", tags, job, p -> p.recordsWritten());
            gauge("ferry.bytes", "approximate bytes read", tags, job, p -> p.bytes());
            gauge("ferry.dirty.records", "records not written because they were dirty", tags, job, p -> p.dirtyRecords());
            gauge("ferry.splits.done", "splits finished", tags, job, p -> p.splitsDone());
            gauge("ferry.stream.lag", "a stream's lag in milliseconds", tags, job, p -> p.lagMillis());
        }
    }

    private void gauge(String name, String description, Tags tags, String job,
                       java.util.function.ToDoubleFunction<Progress> value) {
        Gauge.builder(name, latest, map -> {
            Progress p = map.get(job);
            return p == null ? 0 : value.applyAsDouble(p);
        }).description(description).tags(tags).register(registry);
    }
}
