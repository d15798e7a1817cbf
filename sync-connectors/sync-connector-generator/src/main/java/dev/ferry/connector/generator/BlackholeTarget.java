package dev.ferry.connector.generator;

import dev.ferry.api.JobContext;
import dev.ferry.api.Split;
import dev.ferry.api.SupportsSplitRetry;
import dev.ferry.api.Target;
import dev.ferry.api.TargetWriter;
import dev.ferry.api.WriterContext;
import dev.ferry.api.data.RowBatch;
import dev.ferry.api.data.TableSchema;
import java.util.concurrent.atomic.LongAdder;

/**
 * A target that discards rows. Each writer counts its split's rows in a plain field and adds them
 * to the target's total only when the split finishes, so a batch costs one addition and a retried
 * split is not counted twice. Retrying a split is always safe: nothing is written.
 *
 * <p>Threading: {@code createWriter} and {@link #rowsWritten()} may be called from any thread; each
 * writer is used by one channel thread.
 */
public final class BlackholeTarget implements Target, SupportsSplitRetry {

    private final LongAdder rowsWritten = new LongAdder();
    private final LongAdder splitsFinished = new LongAdder();

    /** Rows of every finished split so far. */
    public long rowsWritten() {
        return rowsWritten.sum();
    }

    /** Splits finished so far. */
    public long splitsFinished() {
        return splitsFinished.sum();
    }

    @Override
    public void prepare(JobContext context, TableSchema sourceSchema) {
        // Accepts any schema.
    }

    @Override
    public TargetWriter createWriter(WriterContext context) {
        return new Writer();
    }

    @Override
    public void commit() {
        // Nothing to make visible.
    }

    @Override
    public void post() {
        // Nothing to run.
    }

    @Override
    public void abort() {
        // Nothing to discard.
    }

    @Override
    public void close() {
        // Holds no resources.
    }

    private final class Writer implements TargetWriter {

        private long pending;

        @Override
        public void startSplit(Split split) {
            pending = 0;
        }

        @Override
        public void write(RowBatch batch) {
            pending += batch.size();
        }

        @Override
        public void finishSplit() {
            rowsWritten.add(pending);
            splitsFinished.increment();
            pending = 0;
        }

        @Override
        public void abortSplit() {
            pending = 0;
        }

        @Override
        public void close() {
            pending = 0;
        }
    }
}
