package dev.ferry.flink;

import dev.ferry.api.AttachedTarget;
import dev.ferry.api.TargetWriter;
import dev.ferry.api.data.RowBatch;
import dev.ferry.api.job.DirtyRecord;
import dev.ferry.engine.config.JobValidator;
import dev.ferry.engine.runtime.ChannelWriterContext;
import org.apache.flink.api.connector.sink2.SinkWriter;

/**
 * One parallel writer of a copy on Flink: takes the {@link Chunk}s of its operator chain and drives
 * a Ferry {@link TargetWriter} with them, split after split, and tells the reader through the
 * split's {@link SplitRun} what it wrote and that it committed.
 *
 * <p>Threading: the task thread calls every method.
 */
final class CopyWriter implements SinkWriter<Chunk> {

    private final CopyJob job;
    private final int subtask;
    private final CopyJob.Context jobContext;
    private final Context context;
    private JobValidator.AttachableJob blocks;
    /** The table the writer is attached to; -1 before the first split. */
    private int attachedTable = -1;
    private AttachedTarget attached;
    private TargetWriter writer;

    CopyWriter(CopyJob job, int subtask) {
        this.job = job;
        this.subtask = subtask;
        this.jobContext = job.context("writer " + subtask);
        this.context = new Context();
    }

    @Override
    public void write(Chunk chunk, SinkWriter.Context flinkContext) {
        switch (chunk.kind) {
            case START -> {
                if (chunk.run.table() != attachedTable) {
                    attach(chunk.run);
                }
                context.run = chunk.run;
                writer.startSplit(chunk.run.split());
            }
            case ROWS -> {
                RowBatch rows = chunk.rows;
                context.batchDirty = 0;
                writer.write(rows);
                chunk.run.written(rows.size() - context.batchDirty);
            }
            case END -> {
                context.batchDirty = 0;
                writer.finishSplit();
                // Rows of earlier batches a bulk load refused only now come off the written count.
                chunk.run.written(-context.batchDirty);
                chunk.run.committed();
                context.run = null;
            }
            case ABORT -> {
                context.run = null;
                if (writer != null) {
                    writer.abortSplit();
                }
            }
            case TOTALS -> {
                // The totals stay with the accumulator; nothing to write.
            }
        }
    }

    /**
     * Attaches to the target plan of the split's table, closing the previous table's writer first:
     * splits come table after table, so a writer holds one table's connections at a time.
     */
    private void attach(SplitRun run) {
        closeWriter();
        if (blocks == null) {
            blocks = job.attachable(CopyWriter.class.getClassLoader());
        }
        attached = blocks.target().attachTarget(blocks.targetConfig(), run.targetPlan(), jobContext);
        writer = attached.createWriter(context);
        attachedTable = run.table();
    }

    private void closeWriter() {
        try {
            if (writer != null) {
                writer.close();
            }
        } finally {
            writer = null;
            if (attached != null) {
                attached.close();
                attached = null;
            }
        }
    }

    @Override
    public void flush(boolean endOfInput) {
        // Each split is committed at its END; nothing is buffered between splits.
    }

    @Override
    public void close() {
        closeWriter();
    }

    /** The writer's view of its chain: the job, and dirty records counted against the current split. */
    private final class Context extends ChannelWriterContext {

        SplitRun run;
        int batchDirty;

        Context() {
            super(jobContext, subtask);
        }

        @Override
        public void reportDirty(String record, String reason) {
            batchDirty++;
            SplitRun current = run;
            if (current == null) {
                throw new IllegalStateException("a dirty record was reported outside a split: " + reason);
            }
            current.dirty().add(new DirtyRecord(current.split().id(), current.attempt(), "write", reason, record));
        }
    }
}
