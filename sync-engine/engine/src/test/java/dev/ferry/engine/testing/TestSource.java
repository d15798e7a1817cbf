package dev.ferry.engine.testing;

import dev.ferry.api.JobContext;
import dev.ferry.api.Source;
import dev.ferry.api.SourceReader;
import dev.ferry.api.Split;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.RecordSink;
import dev.ferry.api.data.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.LongPredicate;

/**
 * A source of {@code splits} splits of {@code rowsPerSplit} rows each, with columns
 * {@code id int64} (global row number) and {@code name string}. Hooks let tests make rows dirty,
 * make attempts fail, or block a reader.
 */
public final class TestSource implements Source {

    /** A split of consecutive row numbers. */
    public record RangeSplit(String id, long start, long end) implements Split {
        public RangeSplit {
            if (end < start) {
                throw new IllegalArgumentException("end " + end + " < start " + start);
            }
        }
    }

    public static final TableSchema SCHEMA = new TableSchema("test",
            List.of(Column.of("id", DataType.INT64), Column.of("name", DataType.STRING)), List.of("id"));

    private final int splits;
    private final long rowsPerSplit;
    private LongPredicate dirtyRow = row -> false;
    private BiFunction<Split, Integer, RuntimeException> failure = (split, attempt) -> null;
    private long failAfterRows = 0;
    private volatile RowHook hook = row -> { };
    private final ConcurrentHashMap<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final AtomicLong emitted = new AtomicLong();
    private final AtomicInteger cancels = new AtomicInteger();
    private volatile boolean prepared;
    private volatile boolean closed;
    private RuntimeException prepareFailure;

    /** Called before each row is emitted; may block. */
    @FunctionalInterface
    public interface RowHook {
        void beforeRow(long row) throws InterruptedException;
    }

    public TestSource(int splits, long rowsPerSplit) {
        this.splits = splits;
        this.rowsPerSplit = rowsPerSplit;
    }

    /** Rows whose number matches are reported dirty by the reader. */
    public TestSource dirtyWhen(LongPredicate predicate) {
        this.dirtyRow = predicate;
        return this;
    }

    /** For (split, attempt), returns the exception to throw after {@code afterRows} rows, or null. */
    public TestSource failWhen(long afterRows, BiFunction<Split, Integer, RuntimeException> failure) {
        this.failAfterRows = afterRows;
        this.failure = failure;
        return this;
    }

    public TestSource onRow(RowHook rowHook) {
        this.hook = rowHook;
        return this;
    }

    public TestSource failPrepare(RuntimeException e) {
        this.prepareFailure = e;
        return this;
    }

    public long emitted() {
        return emitted.get();
    }

    public int attempts(String splitId) {
        AtomicInteger n = attempts.get(splitId);
        return n == null ? 0 : n.get();
    }

    public int cancels() {
        return cancels.get();
    }

    public boolean isClosed() {
        return closed;
    }

    public long totalRows() {
        return splits * rowsPerSplit;
    }

    @Override
    public void prepare(JobContext context) {
        if (prepareFailure != null) {
            throw prepareFailure;
        }
        prepared = true;
    }

    @Override
    public TableSchema schema() {
        return SCHEMA;
    }

    @Override
    public List<? extends Split> planSplits(JobContext context) {
        List<RangeSplit> list = new ArrayList<>();
        for (int i = 0; i < splits; i++) {
            list.add(new RangeSplit("s" + i, i * rowsPerSplit, (i + 1) * rowsPerSplit));
        }
        return list;
    }

    @Override
    public SourceReader createReader(Split split) {
        RangeSplit range = (RangeSplit) split;
        int attempt = attempts.computeIfAbsent(split.id(), k -> new AtomicInteger()).incrementAndGet();
        return new SourceReader() {
            private volatile boolean cancelled;

            @Override
            public void read(RecordSink sink) {
                RuntimeException fail = failure.apply(split, attempt);
                for (long row = range.start(); row < range.end() && !cancelled; row++) {
                    if (fail != null && row - range.start() == failAfterRows) {
                        throw fail;
                    }
                    try {
                        hook.beforeRow(row);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new dev.ferry.api.error.CancelledException("interrupted");
                    }
                    if (dirtyRow.test(row)) {
                        sink.dirty("row " + row + " is dirty by design", "raw-" + row);
                        continue;
                    }
                    sink.setLong(0, row);
                    sink.setObject(1, "name-" + row);
                    sink.emit();
                    emitted.incrementAndGet();
                }
                if (fail != null && failAfterRows >= range.end() - range.start()) {
                    throw fail;
                }
            }

            @Override
            public void cancel() {
                cancelled = true;
                cancels.incrementAndGet();
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void close() {
        closed = true;
    }

    public boolean isPrepared() {
        return prepared;
    }
}
