package dev.ferry.engine.runtime;

import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Nanoseconds per value read out of a {@link ColumnarBatch}, the {@code RowBatch} every writer
 * receives, by column type and by path:
 * <ul>
 *   <li>{@code getObject}: the object form (boxing long-backed values, building {@code java.time}
 *       values for dates and times), the generic path JDBC {@code setObject} binding and dirty-record
 *       rendering take;</li>
 *   <li>{@code typed}: the primitive accessor that matches the type ({@code getLong},
 *       {@code getDouble}, {@code getBoolean}; {@code getObject} for reference types), the path a
 *       writer that switches on the type takes.</li>
 * </ul>
 * One invocation reads one column of a full batch ({@value #ROWS} rows) with the null check a writer
 * makes; under {@code -prof gc}, {@code gc.alloc.rate.norm} is bytes allocated per value: 0 for
 * primitives and references, 24 for a boxed {@code Long} or {@code Double} or a {@code LocalDate}
 * or {@code Instant}, 72 for a {@code LocalDateTime} (which holds a {@code LocalDate} and a
 * {@code LocalTime}).
 *
 * <p>Run: {@code java -jar sync-benchmarks/target/benchmarks.jar ColumnarBatchReadBenchmark -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(ColumnarBatchReadBenchmark.ROWS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class ColumnarBatchReadBenchmark {

    static final int ROWS = 1024;

    @Param({"INT64", "FLOAT64", "BOOLEAN", "STRING", "DECIMAL", "DATE", "TIMESTAMP", "TIMESTAMPTZ"})
    public DataType type;

    private ColumnarBatch batch;
    private int column;

    @Setup
    public void setUp() {
        List<Column> columns = new ArrayList<>();
        for (DataType t : DataType.values()) {
            if (t != DataType.NULL) {
                columns.add(Column.of(t.typeName(), t));
            }
        }
        TableSchema schema = TableSchema.of("bench", columns);
        batch = new ColumnarBatch(schema, ROWS);
        column = schema.indexOf(type.typeName());
        SplittableRandom random = new SplittableRandom(42);
        for (int row = 0; row < ROWS; row++) {
            for (int c = 0; c < schema.arity(); c++) {
                int i = row * schema.arity() + c;
                DataType t = schema.column(c).type();
                batch.longs[i] = switch (t) {
                    case BOOLEAN -> random.nextInt(2);
                    case FLOAT64 -> Double.doubleToRawLongBits(random.nextDouble() * 1_000_000);
                    case DATE -> 10_957 + random.nextInt(14_610);
                    case TIME -> random.nextLong(86_400_000_000_000L);
                    case TIMESTAMP, TIMESTAMPTZ -> 946_684_800_000_000L + random.nextLong(946_728_000_000_000L);
                    default -> random.nextLong();
                };
                batch.objects[i] = switch (t) {
                    case STRING, JSON -> Long.toString(random.nextLong(), 36);
                    case DECIMAL -> BigDecimal.valueOf(random.nextLong(10_000_000_000L), 2);
                    case BYTES -> new byte[] {(byte) row};
                    default -> null;
                };
            }
        }
        batch.size = ROWS;
    }

    @Benchmark
    public void getObject(Blackhole bh) {
        ColumnarBatch b = batch;
        int c = column;
        for (int row = 0; row < ROWS; row++) {
            bh.consume(b.getObject(row, c));
        }
    }

    @Benchmark
    public void typed(Blackhole bh) {
        ColumnarBatch b = batch;
        int c = column;
        switch (type) {
            case BOOLEAN -> {
                for (int row = 0; row < ROWS; row++) {
                    bh.consume(!b.isNull(row, c) && b.getBoolean(row, c));
                }
            }
            case FLOAT64 -> {
                for (int row = 0; row < ROWS; row++) {
                    bh.consume(b.isNull(row, c) ? 0.0 : b.getDouble(row, c));
                }
            }
            case INT64, DATE, TIME, TIMESTAMP, TIMESTAMPTZ -> {
                for (int row = 0; row < ROWS; row++) {
                    bh.consume(b.isNull(row, c) ? 0L : b.getLong(row, c));
                }
            }
            default -> {
                for (int row = 0; row < ROWS; row++) {
                    bh.consume(b.getObject(row, c));
                }
            }
        }
    }
}
