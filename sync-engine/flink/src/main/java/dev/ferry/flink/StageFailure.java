package dev.ferry.flink;

import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.job.Stage;

/**
 * A failure of a copy on the JobManager (planning, the dirty-data limit, POST), as the readers
 * end the job with it, so that the client's report names the stage that failed.
 */
final class StageFailure extends SyncException {

    private static final long serialVersionUID = 1L;

    private final Stage stage;

    StageFailure(Stage stage, String message) {
        super(ErrorKind.DATA, message);
        this.stage = stage;
    }

    Stage stage() {
        return stage;
    }

    /** The stage a failure names, walking its causes; SYNC when none does. */
    static Stage of(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StageFailure failure) {
                return failure.stage;
            }
        }
        return Stage.SYNC;
    }
}
