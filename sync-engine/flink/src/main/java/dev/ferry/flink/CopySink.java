package dev.ferry.flink;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A Ferry target as a Flink {@link Sink}: each parallel writer attaches to the target's plan (which
 * the first START chunk carries) and writes each split in the target's own transaction, committing
 * it when the split's END arrives. With a target that keeps a split ledger, the commit records the
 * split, so the enumerator never hands a committed split out again.
 */
final class CopySink implements Sink<Chunk> {

    private static final long serialVersionUID = 1L;

    private final CopyJob job;

    CopySink(CopyJob job) {
        this.job = job;
    }

    @Override
    public SinkWriter<Chunk> createWriter(WriterInitContext context) {
        return new CopyWriter(job, context.getTaskInfo().getIndexOfThisSubtask());
    }
}
