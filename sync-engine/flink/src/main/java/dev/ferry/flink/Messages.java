package dev.ferry.flink;

import dev.ferry.api.SourcePlan;
import dev.ferry.api.TargetPlan;
import dev.ferry.api.job.DirtyRecord;
import java.util.List;
import org.apache.flink.api.connector.source.SourceEvent;

/**
 * What the enumerator (on the JobManager) and the readers (in the task managers) tell each other
 * besides the splits themselves.
 */
final class Messages {

    private Messages() {
    }

    /**
     * Enumerator → reader: the plans to attach readers and writers from, once planning is done, one
     * per table in the order of {@link FerrySplit#table()}.
     */
    record Plans(List<TablePlans> tables) implements SourceEvent {

        Plans {
            tables = List.copyOf(tables);
        }
    }

    /** One table's plans. */
    record TablePlans(SourcePlan source, TargetPlan target) implements java.io.Serializable {
    }

    /**
     * Reader → enumerator: a split is written and committed.
     *
     * @param split   the split's {@link FerrySplit#splitId()}
     * @param samples the split's first dirty records
     */
    record SplitDone(String split, long recordsRead, long recordsWritten, long bytes, long dirty,
                     List<DirtyRecord> samples) implements SourceEvent {

        SplitDone {
            samples = List.copyOf(samples);
        }
    }

    /**
     * Reader → enumerator: a split stopped past the dirty-data limit, with what it had read; the
     * enumerator fails the job.
     */
    record SplitDirty(String split, long recordsRead, long bytes, long dirty, List<DirtyRecord> samples)
            implements SourceEvent {

        SplitDirty {
            samples = List.copyOf(samples);
        }
    }

    /**
     * Enumerator → reader: the job failed on the JobManager; the reader fails it without restarts,
     * carrying what was counted so far to the client.
     */
    record Failed(dev.ferry.api.job.Stage stage, String message, CopyTotals totals) implements SourceEvent {
    }

    /** Enumerator → reader: the job is done; the totals go to the client through an accumulator. */
    record Done(CopyTotals totals) implements SourceEvent {
    }
}
