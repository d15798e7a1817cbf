package dev.ferry.connector.generator;

import dev.ferry.api.SourceReader;
import dev.ferry.api.data.RecordSink;
import dev.ferry.api.error.CancelledException;

/**
 * Emits the rows of one {@link RowRangeSplit}.
 *
 * <p>The hot loop does nothing per row but fill and emit; a cancel request or an interrupt is
 * noticed every {@value #CHECK_INTERVAL} rows (and in {@code sink.emit()}, which the engine makes
 * throw when the job is cancelled).
 *
 * <p>Threading: {@code read} and {@code close} run on one reader thread; {@code cancel} may be
 * called from any thread.
 */
final class GeneratorReader implements SourceReader {

    static final int CHECK_INTERVAL = 4096;

    private final RowRangeSplit split;
    private final RowGenerator generator;
    private volatile boolean cancelled;

    GeneratorReader(RowRangeSplit split, RowGenerator generator) {
        this.split = split;
        this.generator = generator;
    }

    @Override
    public void read(RecordSink sink) {
        final RowGenerator generator = this.generator;
        final long end = split.endExclusive();
        long row = split.startInclusive();
        while (row < end) {
            if (cancelled || Thread.currentThread().isInterrupted()) {
                throw new CancelledException("split '" + split.id() + "' was cancelled at row " + row);
            }
            long chunkEnd = Math.min(end, row + CHECK_INTERVAL);
            for (; row < chunkEnd; row++) {
                generator.fill(row, sink);
                sink.emit();
            }
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
    }

    @Override
    public void close() {
        // Holds no resources.
    }
}
