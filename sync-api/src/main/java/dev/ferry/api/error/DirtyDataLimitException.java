package dev.ferry.api.error;

/** The job's dirty-data tolerance was exceeded; the job fails with this message. */
public class DirtyDataLimitException extends SyncException {

    public DirtyDataLimitException(String message) {
        super(ErrorKind.DATA, message);
    }
}
