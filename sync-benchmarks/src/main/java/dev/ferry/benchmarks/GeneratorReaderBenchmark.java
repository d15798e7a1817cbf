package dev.ferry.benchmarks;

import dev.ferry.api.SourceReader;
import dev.ferry.connector.generator.GeneratorSettings;
import dev.ferry.connector.generator.GeneratorSource;
import dev.ferry.connector.generator.RowRangeSplit;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The baseline for {@link EngineBenchmark}: records per second the {@code generator} reader produces
 * on one thread into a {@link StoringSink}, which stores the values in row-major arrays the way the
 * engine's sink does, without batches, queues, counters or a writer. The difference between the two
 * benchmarks' nanoseconds per record is what the engine adds (channel hand-off, accounting,
 * scheduling) on top of making the record.
 *
 * <p>Same five columns and fresh values as {@link EngineBenchmark}; one invocation reads
 * {@value #ROWS} rows, so the score is records per second and {@code gc.alloc.rate.norm} under
 * {@code -prof gc} is bytes per record (56: the string value).
 *
 * <p>Run: {@code java -jar sync-benchmarks/target/benchmarks.jar GeneratorReaderBenchmark -prof gc}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(GeneratorReaderBenchmark.ROWS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class GeneratorReaderBenchmark {

    static final int ROWS = 1 << 22;

    private final GeneratorSource source =
            new GeneratorSource(new GeneratorSettings(ROWS, GeneratorSettings.DEFAULT_SEED, GeneratorSettings.DEFAULT_COLUMNS));
    private final RowRangeSplit split = RowRangeSplit.of(0, ROWS);
    private final StoringSink sink = new StoringSink(GeneratorSettings.DEFAULT_COLUMNS.size(), 1024);

    @Benchmark
    public long readSplit() {
        try (SourceReader reader = source.createReader(split)) {
            reader.read(sink);
        }
        return sink.emitted();
    }
}
