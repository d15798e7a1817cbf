package dev.ferry.flink;

import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.util.FlinkRuntimeException;

/**
 * A Ferry source as a FLIP-27 {@link Source}: the enumerator plans the job once on the JobManager
 * ({@link CopyEnumerator}); the readers attach to the plan and read its splits
 * ({@link CopyReader}). Bounded: the job ends when every split is committed.
 */
final class CopySource implements Source<Chunk, FerrySplit, CopyState> {

    private static final long serialVersionUID = 1L;

    private final CopyJob job;

    CopySource(CopyJob job) {
        this.job = job;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<Chunk, FerrySplit> createReader(SourceReaderContext context) {
        return new CopyReader(context, job);
    }

    @Override
    public SplitEnumerator<FerrySplit, CopyState> createEnumerator(SplitEnumeratorContext<FerrySplit> context) {
        return new CopyEnumerator(context, job);
    }

    /**
     * A restored enumerator would have lost what the plan opened on the JobManager (the source's
     * snapshot, the prepared target), so a copy does not resume from a checkpoint: it fails, saying so.
     */
    @Override
    public SplitEnumerator<FerrySplit, CopyState> restoreEnumerator(SplitEnumeratorContext<FerrySplit> context,
                                                                    CopyState checkpoint) {
        throw new FlinkRuntimeException("job '" + job.name() + "' cannot resume on Flink from a checkpoint: its "
                + "plan (the source's snapshot, the prepared target) lived in the JobManager that was lost; run the "
                + "job again");
    }

    @Override
    public SimpleVersionedSerializer<FerrySplit> getSplitSerializer() {
        return SplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<CopyState> getEnumeratorCheckpointSerializer() {
        return CopyState.Serializer.INSTANCE;
    }
}
