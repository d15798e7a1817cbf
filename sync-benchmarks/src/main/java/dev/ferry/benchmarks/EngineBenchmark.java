package dev.ferry.benchmarks;

import dev.ferry.api.job.JobReport;
import dev.ferry.engine.SyncEngine;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Records per second through the whole engine with stubbed I/O: a {@link SyncEngine} runs a
 * {@code generator} → {@code blackhole} job, found through {@link java.util.ServiceLoader} like any
 * connector, with five columns (int64 {@code id}, string, float64, timestamp, boolean: the generator's
 * defaults). Every record is fresh: its primitives derive from the row index and its string is a new
 * 12-character {@code String} per row, so nothing is cached between records.
 *
 * <p>One invocation is one complete job of {@value #ROWS} rows: validation, split planning
 * ({@code 4 × concurrency} splits), channel threads, reading, writing, the report. With
 * {@link OperationsPerInvocation} the score is records per second and, under {@code -prof gc},
 * {@code gc.alloc.rate.norm} is the bytes allocated per record by every thread of the job, fixed
 * per-job costs spread over its rows. The record itself is 56 bytes of that (a 24-byte
 * {@code String} and its 32-byte {@code byte[]}); everything above is engine and connector overhead.
 *
 * <p>Run: {@code java -jar sync-benchmarks/target/benchmarks.jar EngineBenchmark -prof gc}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(EngineBenchmark.ROWS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class EngineBenchmark {

    static final int ROWS = 1 << 23;

    @Param({"1", "2"})
    public int concurrency;

    private SyncEngine engine;

    @Setup(Level.Trial)
    public void setUp() {
        engine = SyncEngine.builder().build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engine.close();
    }

    @Benchmark
    public JobReport generatorToBlackhole() {
        JobReport report = engine.newJob("bench-generator-blackhole")
                .source("generator", Map.of("rows", (long) ROWS, "columns", columns()))
                .target("blackhole", Map.of())
                .concurrency(concurrency)
                .run();
        if (!report.isSuccess() || report.recordsWritten() != ROWS) {
            throw new IllegalStateException("job did not move every row: " + report.status() + ", "
                    + report.recordsWritten() + " written, error " + report.error());
        }
        return report;
    }

    /** The generator's default columns spelled out, so the benchmark keeps its schema if the default changes. */
    static List<Map<String, Object>> columns() {
        return List.of(
                Map.of("name", "id", "type", "int64"),
                Map.of("name", "name", "type", "string"),
                Map.of("name", "amount", "type", "float64"),
                Map.of("name", "created_at", "type", "timestamp"),
                Map.of("name", "active", "type", "boolean"));
    }
}
