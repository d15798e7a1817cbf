package dev.ferry.api.error;

/**
 * An external failure that may succeed when tried again (a dropped connection, a deadlock, a
 * timeout). The engine retries the split only when the target can redo it without duplicates
 * ({@link dev.ferry.api.SupportsSplitRetry}).
 */
public class RetriableException extends SyncException {

    public RetriableException(String message, Throwable cause) {
        super(ErrorKind.EXTERNAL, message, cause);
    }

    public RetriableException(String message) {
        super(ErrorKind.EXTERNAL, message);
    }

    @Override
    public boolean isRetriable() {
        return true;
    }
}
