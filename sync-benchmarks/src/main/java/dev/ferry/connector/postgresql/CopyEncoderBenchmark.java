package dev.ferry.connector.postgresql;

import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.RowBatch;
import dev.ferry.benchmarks.BenchmarkRecords;
import dev.ferry.connector.jdbc.DbColumn;
import dev.ferry.connector.jdbc.Redactor;
import dev.ferry.connector.jdbc.TableName;
import dev.ferry.connector.jdbc.WriteMode;
import dev.ferry.connector.jdbc.WritePlan;
import java.sql.Types;
import java.util.List;
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
 * Nanoseconds per record for the PostgreSQL target's hot conversion: a {@code CopyEncoder} turning
 * rows of the engine's batch into {@code COPY … FROM STDIN} data, in the text format
 * ({@code CopyTextEncoder}) or the binary one ({@code CopyBinaryEncoder}), for the five columns of
 * the end-to-end PostgreSQL → PostgreSQL run (bigint, varchar, double precision, timestamp,
 * boolean) or one of those columns alone, to see which value costs what.
 *
 * <p>One invocation encodes one COPY of {@value #BATCH} rows into the encoder's reused buffer, so
 * the score and {@code gc.alloc.rate.norm} under {@code -prof gc} are per record.
 *
 * <p>It sits in the connector's package inside sync-benchmarks because the encoders are
 * package-private.
 *
 * <p>Run: {@code java -jar sync-benchmarks/target/benchmarks.jar CopyEncoderBenchmark -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(CopyEncoderBenchmark.BATCH)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class CopyEncoderBenchmark {

    static final int BATCH = 1024;
    private static final int BUFFER = 1 << 20;

    @Param({"text", "binary"})
    public String format;

    /** {@code all} encodes the whole record; a column name encodes that column alone. */
    @Param({"all", "id", "name", "amount", "created_at", "active"})
    public String columns;

    private RowBatch batch;
    private CopyEncoder encoder;

    @Setup
    public void setUp() {
        batch = BenchmarkRecords.batch(BATCH);
        List<DbColumn> target = List.of(
                new DbColumn(new Column("id", DataType.INT64, false, 0, 0, "int8"), Types.BIGINT),
                new DbColumn(new Column("name", DataType.STRING, false, 12, 0, "varchar"), Types.VARCHAR),
                new DbColumn(new Column("amount", DataType.FLOAT64, false, 0, 0, "float8"), Types.DOUBLE),
                new DbColumn(new Column("created_at", DataType.TIMESTAMP, false, 6, 0, "timestamp"), Types.TIMESTAMP),
                new DbColumn(new Column("active", DataType.BOOLEAN, false, 0, 0, "bool"), Types.BOOLEAN));
        int[] sources = {0, 1, 2, 3, 4};
        if (!columns.equals("all")) {
            int index = BenchmarkRecords.SCHEMA.indexOf(columns);
            target = List.of(target.get(index));
            sources = new int[] {index};
        }
        WritePlan plan = new WritePlan(new PostgresDialect(), new TableName("public", "ferry_bench_dst"),
                WriteMode.INSERT, BenchmarkRecords.SCHEMA, target, sources, List.of(),
                "COPY", new int[sources.length], BATCH, true, Redactor.URL_ONLY);
        encoder = format.equals("binary") ? CopyBinaryEncoder.forPlan(plan, BUFFER) : new CopyTextEncoder(plan, BUFFER);
        if (encoder == null) {
            throw new IllegalStateException("no binary form for " + columns);
        }
    }

    @Benchmark
    public int encode() {
        encoder.reset(BUFFER);
        for (int row = 0; row < BATCH; row++) {
            encoder.encodeRow(batch, row);
        }
        // The header and trailer are constants the loader sends around a COPY's rows.
        return encoder.size() + encoder.header().length + encoder.trailer().length;
    }
}
