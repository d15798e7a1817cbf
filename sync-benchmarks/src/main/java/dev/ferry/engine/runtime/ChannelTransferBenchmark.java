package dev.ferry.engine.runtime;

import dev.ferry.api.config.Redaction;
import dev.ferry.api.data.RecordSink;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.job.BufferSettings;
import dev.ferry.api.job.DirtyDataPolicy;
import dev.ferry.api.job.RateLimit;
import dev.ferry.connector.generator.GeneratorSettings;
import dev.ferry.connector.generator.RowRangeSplit;
import dev.ferry.engine.Ticker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * Records per second through the engine's channels alone, with no connector cost.
 *
 * <p>Per channel, a producer thread fills records through a {@link ChannelSink} into
 * {@link ColumnarBatch}es and publishes them to the channel's {@link BatchQueue}; a consumer thread
 * takes each batch, adds it to the job's counters and releases it, as {@code SyncStage} does around
 * a writer that discards. Records have the five columns of {@link GeneratorSettings#DEFAULT_COLUMNS}
 * (int64, string, float64, timestamp, boolean); the primitives change every record, the string is
 * one shared constant, so every byte that {@code -prof gc} reports is the channel's own.
 *
 * <p>Back-pressure is on: the queues have the default bounds ({@link BufferSettings#DEFAULT}, 16,384
 * records or 16 MiB in flight, batches of 1,024), so a producer that runs ahead of its consumer
 * blocks in {@code publish} exactly as a reader does in a job. The rate limiter is the unlimited one
 * a job without {@code settings.rateLimit} gets.
 *
 * <p>One invocation is one split per channel, on fresh queues as a new job gets them (a queue is
 * not reused across invocations because a channel sink keeps one borrowed batch when its split
 * ends, so a reused queue runs dry after {@code records / batchSize + 2} splits; see the README).
 * It moves {@value #RECORDS} records in total, divided evenly over {@code channels};
 * thanks to {@link OperationsPerInvocation} the score is records per second over all channels, and
 * {@code gc.alloc.rate.norm} is bytes allocated per record (all threads count).
 *
 * <p>Run: {@code java -jar sync-benchmarks/target/benchmarks.jar ChannelTransferBenchmark -prof gc}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(ChannelTransferBenchmark.RECORDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class ChannelTransferBenchmark {

    static final int RECORDS = 1 << 22;
    private static final String NAME = "k2hq7cabdefg";

    @Param({"1", "2", "4"})
    public int channels;

    private final TableSchema schema = new TableSchema("bench", GeneratorSettings.DEFAULT_COLUMNS, List.of());
    private final BufferSettings buffer = BufferSettings.DEFAULT;
    private ExecutorService threads;
    private BatchQueue[] queues;
    private JobCounters metrics;
    private DirtyData dirty;
    private RateLimiter limiter;

    @Setup(Level.Trial)
    public void setUp() {
        threads = Executors.newFixedThreadPool(2 * channels, r -> {
            Thread t = new Thread(r, "bench-channel");
            t.setDaemon(true);
            return t;
        });
        queues = new BatchQueue[channels];
        metrics = new JobCounters();
        dirty = new DirtyData(DirtyDataPolicy.TOLERATE, Redaction.NONE);
        limiter = new RateLimiter(RateLimit.UNLIMITED, Ticker.system());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        threads.shutdownNow();
        for (BatchQueue queue : queues) {
            if (queue != null && queue.peakRecordsInFlight() > buffer.records()) {
                throw new IllegalStateException("back-pressure failed: " + queue.peakRecordsInFlight()
                        + " records in flight, bound " + buffer.records());
            }
        }
    }

    @Benchmark
    public long transfer() throws Exception {
        int perChannel = RECORDS / channels;
        List<Future<?>> producers = new ArrayList<>(channels);
        List<Future<Long>> consumers = new ArrayList<>(channels);
        for (int i = 0; i < channels; i++) {
            BatchQueue queue = new BatchQueue(schema, buffer.records(), buffer.bytes(), buffer.batchSize());
            queues[i] = queue;
            long first = (long) i * perChannel;
            producers.add(threads.submit(() -> produce(queue, first, perChannel)));
            consumers.add(threads.submit(() -> consume(queue)));
        }
        long moved = 0;
        for (int i = 0; i < channels; i++) {
            producers.get(i).get();
            moved += consumers.get(i).get();
        }
        if (moved != RECORDS) {
            throw new IllegalStateException("moved " + moved + " records, expected " + RECORDS);
        }
        return moved;
    }

    private void produce(BatchQueue queue, long first, int count) {
        SplitAttempt attempt = new SplitAttempt(RowRangeSplit.of(first, first + count), 1);
        ChannelSink sink = new ChannelSink(queue, limiter, metrics, dirty, attempt, queue.batchSize(),
                queue.maxBytes() / 4, schema.arity());
        try {
            long end = first + count;
            for (long row = first; row < end; row++) {
                fill(sink, row);
                sink.emit();
            }
            sink.flush();
            queue.finish();
        } catch (RuntimeException e) {
            queue.fail(e);
            throw e;
        }
    }

    private static void fill(RecordSink sink, long row) {
        sink.setLong(0, row);
        sink.setObject(1, NAME);
        sink.setDouble(2, row * 0.25);
        sink.setLong(3, 946_684_800_000_000L + row);
        sink.setBoolean(4, (row & 1) == 0);
    }

    private long consume(BatchQueue queue) {
        long records = 0;
        ColumnarBatch batch;
        while ((batch = queue.take()) != null) {
            records += batch.size;
            metrics.written(batch.size);
            queue.release(batch);
        }
        return records;
    }
}
