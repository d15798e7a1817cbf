package dev.ferry.connector.file;

import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.RowBatch;
import dev.ferry.api.data.TableSchema;
import dev.ferry.benchmarks.StoringSink;
import dev.ferry.engine.runtime.BenchmarkBatches;
import java.math.BigDecimal;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Nanoseconds per value through {@code TextValues}, the one text form the csv and jsonl connectors
 * share, by type: {@code parse} converts text into a sink (what a file source does per field) and
 * {@code format} appends a batch value as text (what a file target does per field). One invocation
 * converts {@value #VALUES} values, so scores and {@code gc.alloc.rate.norm} are per value.
 *
 * <p>Run: {@code java -jar sync-benchmarks/target/benchmarks.jar TextValuesBenchmark -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(TextValuesBenchmark.VALUES)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class TextValuesBenchmark {

    static final int VALUES = 1024;

    @Param({"INT64", "FLOAT64", "BOOLEAN", "STRING", "DECIMAL", "DATE", "TIMESTAMP", "TIMESTAMPTZ"})
    public DataType type;

    private RowBatch batch;
    private String[] texts;
    private final StoringSink sink = new StoringSink(1, VALUES);
    private final StringBuilder out = new StringBuilder(64 * VALUES);

    @Setup
    public void setUp() {
        TableSchema schema = TableSchema.of("bench", java.util.List.of(Column.of("v", type)));
        SplittableRandom random = new SplittableRandom(42);
        batch = BenchmarkBatches.filled(schema, VALUES, (s, row) -> {
            switch (type) {
                case INT64 -> s.setLong(0, random.nextLong(-1_000_000_000_000L, 1_000_000_000_000L));
                case FLOAT64 -> s.setDouble(0, random.nextInt(100_000_000) / 100.0);
                case BOOLEAN -> s.setBoolean(0, random.nextBoolean());
                case STRING -> s.setObject(0, Long.toString(random.nextLong(Long.MAX_VALUE), 36));
                case DECIMAL -> s.setObject(0, BigDecimal.valueOf(random.nextLong(10_000_000_000L), 2));
                case DATE -> s.setLong(0, 10_957 + random.nextInt(14_610));
                case TIMESTAMP, TIMESTAMPTZ -> s.setLong(0, 946_684_800_000_000L + random.nextLong(946_728_000_000_000L));
                default -> throw new IllegalArgumentException("no values for " + type);
            }
        });
        texts = new String[VALUES];
        StringBuilder text = new StringBuilder();
        for (int row = 0; row < VALUES; row++) {
            text.setLength(0);
            TextValues.append(batch, row, 0, type, text);
            texts[row] = text.toString();
        }
    }

    @Benchmark
    public long parse() {
        for (String text : texts) {
            TextValues.set(sink, 0, type, text);
            sink.emit();
        }
        return sink.emitted();
    }

    @Benchmark
    public int format() {
        out.setLength(0);
        for (int row = 0; row < VALUES; row++) {
            TextValues.append(batch, row, 0, type, out);
            out.append(',');
        }
        return out.length();
    }
}
