package dev.ferry.connector.file;

import dev.ferry.api.SourceReader;
import dev.ferry.api.data.RowBatch;
import dev.ferry.benchmarks.BenchmarkRecords;
import dev.ferry.benchmarks.StoringSink;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Nanoseconds per record through the csv and jsonl connectors' record conversion, both ways, for
 * the five-column {@link BenchmarkRecords}:
 * <ul>
 *   <li>{@code encode}: the file target's {@code OutputFormat.Encoder} turning one row of the
 *       engine's batch into a line of text (values through {@code TextValues}, quoting or JSON
 *       escaping); one invocation encodes a batch of {@value #BATCH} rows.</li>
 *   <li>{@code decode}: the file source's reader ({@code CsvReader} / {@code JsonlReader}) turning a
 *       file of {@value #FILE_RECORDS} lines into records: decoding UTF-8, splitting fields or
 *       parsing JSON, converting every value; the file sits in the page cache after the first
 *       read, so this is the conversion cost, not the disk's.</li>
 * </ul>
 * Both are per record ({@link OperationsPerInvocation}); under {@code -prof gc},
 * {@code gc.alloc.rate.norm} is bytes allocated per record.
 *
 * <p>It sits in the connector's package inside sync-benchmarks because the readers and encoders are
 * package-private.
 *
 * <p>Run: {@code java -jar sync-benchmarks/target/benchmarks.jar FileFormatBenchmark -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class FileFormatBenchmark {

    static final int BATCH = 1024;
    static final int FILE_RECORDS = 1 << 16;

    @Param({"csv", "jsonl"})
    public String format;

    private RowBatch batch;
    private OutputFormat.Encoder encoder;
    private final StringBuilder out = new StringBuilder(1 << 17);
    private Path file;
    private FileSplit split;
    private final StoringSink sink = new StoringSink(BenchmarkRecords.SCHEMA.arity(), 1024);

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        batch = BenchmarkRecords.batch(BATCH);
        OutputFormat output = csv() ? new CsvOutput(CsvFormat.DEFAULT) : new JsonlOutput();
        encoder = output.encoder(BenchmarkRecords.SCHEMA);
        RowBatch fileRows = BenchmarkRecords.batch(FILE_RECORDS);
        file = Files.createTempFile("ferry-bench-", output.extension());
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(output.header(BenchmarkRecords.SCHEMA));
            StringBuilder line = new StringBuilder();
            for (int row = 0; row < FILE_RECORDS; row++) {
                line.setLength(0);
                String problem = output.encoder(BenchmarkRecords.SCHEMA).encode(fileRows, row, line);
                if (problem != null) {
                    throw new IllegalStateException("cannot encode row " + row + ": " + problem);
                }
                w.append(line);
            }
        }
        split = new FileSplit(file.getFileName().toString(), file.toString());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Files.deleteIfExists(file);
        if (sink.dirty() > 0) {
            throw new IllegalStateException(sink.dirty() + " records read back dirty");
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int encode() {
        out.setLength(0);
        for (int row = 0; row < BATCH; row++) {
            encoder.encode(batch, row, out);
        }
        return out.length();
    }

    @Benchmark
    @OperationsPerInvocation(FILE_RECORDS)
    public long decode() {
        try (SourceReader reader = csv()
                ? new CsvReader(split, file, StandardCharsets.UTF_8, CsvFormat.DEFAULT, BenchmarkRecords.SCHEMA)
                : new JsonlReader(split, file, StandardCharsets.UTF_8, BenchmarkRecords.SCHEMA)) {
            reader.read(sink);
        }
        return sink.emitted();
    }

    private boolean csv() {
        return format.equals("csv");
    }
}
