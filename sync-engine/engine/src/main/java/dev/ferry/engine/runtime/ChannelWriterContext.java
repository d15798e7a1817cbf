package dev.ferry.engine.runtime;

import dev.ferry.api.JobContext;
import dev.ferry.api.WriterContext;
import dev.ferry.api.data.RowBatch;
import dev.ferry.api.state.StateStore;

/**
 * What a writer of one channel gets: the job's facts from its {@link JobContext}, its channel's
 * index, and a dirty row of a batch rendered as text for {@link #reportDirty(String, String)}, which
 * each kind of channel (a copy's, a stream's, a distributed runner's) counts its own way.
 *
 * <p>Threading: used by the channel's thread only.
 */
public abstract class ChannelWriterContext implements WriterContext {

    private final JobContext job;
    private final int channel;

    protected ChannelWriterContext(JobContext job, int channel) {
        this.job = job;
        this.channel = channel;
    }

    @Override
    public final int channel() {
        return channel;
    }

    /** The row as {@link DirtyData#render} shows it, reported as {@link #reportDirty(String, String)} does. */
    @Override
    public void reportDirty(RowBatch batch, int row, String reason) {
        reportDirty(DirtyData.render(batch, row), reason);
    }

    @Override
    public final String jobName() {
        return job.jobName();
    }

    @Override
    public final int concurrency() {
        return job.concurrency();
    }

    @Override
    public final void warn(String message) {
        job.warn(message);
    }

    @Override
    public final StateStore stateStore() {
        return job.stateStore();
    }
}
