package dev.ferry.benchmarks;

import dev.ferry.api.JobContext;
import dev.ferry.api.state.StateStore;
import dev.ferry.connector.generator.GeneratorSettings;
import dev.ferry.connector.generator.GeneratorSource;
import dev.ferry.connector.generator.RowRangeSplit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Microseconds to plan the splits of a very large key range: the {@code generator} source's
 * {@code planSplits} over {@value #ROWS} rows (a range no real table reaches, so that the
 * arithmetic, not the row count, is what is timed) at several concurrencies; the source makes
 * {@code 4 × concurrency} {@link RowRangeSplit}s, each a validated record with a formatted id.
 * Planning runs once per job in the SPLIT stage, so what matters is that it stays far below a
 * millisecond even for thousands of splits.
 *
 * <p>Run: {@code java -jar sync-benchmarks/target/benchmarks.jar SplitPlanningBenchmark -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class SplitPlanningBenchmark {

    static final long ROWS = 1L << 60;

    @Param({"1", "16", "256"})
    public int concurrency;

    private GeneratorSource source;
    private JobContext context;

    @Setup
    public void setUp() {
        source = new GeneratorSource(new GeneratorSettings(ROWS, GeneratorSettings.DEFAULT_SEED,
                GeneratorSettings.DEFAULT_COLUMNS));
        context = new FixedContext(concurrency);
    }

    @Benchmark
    public List<RowRangeSplit> generatorRowRanges() {
        return source.planSplits(context);
    }

    /** Just enough of a job for a source to plan against. */
    record FixedContext(int concurrency) implements JobContext {

        @Override
        public String jobName() {
            return "bench";
        }

        @Override
        public void warn(String message) {
            throw new IllegalStateException("unexpected warning while planning: " + message);
        }

        private static final StateStore STATE = new dev.ferry.engine.state.InMemoryStateStore();

        @Override
        public StateStore stateStore() {
            return STATE;
        }
    }
}
