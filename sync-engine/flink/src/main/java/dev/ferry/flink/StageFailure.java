package dev.ferry.flink;

import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.job.Stage;

/**
 * A failure of a copy on the JobManager (planning, the dirty-data limit, POST), as the readers
 * end the job with it, so that the client's report names the stage that failed and holds what was
 * counted until then (the dirty records that exceeded the limit among them).
 */
final class StageFailure extends SyncException {

    private static final long serialVersionUID = 1L;

    private final Stage stage;
    private final CopyTotals totals;

    StageFailure(Stage stage, String message, CopyTotals totals) {
        super(ErrorKind.DATA, message);
        this.stage = stage;
        this.totals = totals;
    }

    Stage stage() {
        return stage;
    }

    /** What the enumerator had counted when the job failed. */
    CopyTotals totals() {
        return totals;
    }

    /** The stage failure among {@code error}'s causes; null when there is none. */
    static StageFailure in(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StageFailure failure) {
                return failure;
            }
        }
        return null;
    }
}
