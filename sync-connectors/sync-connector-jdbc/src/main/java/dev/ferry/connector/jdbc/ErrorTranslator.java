package dev.ferry.connector.jdbc;

import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.RetriableException;
import dev.ferry.api.error.SyncException;
import java.sql.SQLException;

/**
 * Turns driver exceptions into Ferry's: a {@link RetriableException} when the dialect says the
 * connection or transaction failed (so the engine may retry the split), a {@link SyncException}
 * of kind EXTERNAL otherwise. Messages and causes are masked by the endpoint's {@link Redactor}.
 *
 * <p>Threading: immutable; safe to share.
 */
public final class ErrorTranslator {

    private final Dialect dialect;
    private final Redactor redactor;

    public ErrorTranslator(Dialect dialect, Redactor redactor) {
        this.dialect = dialect;
        this.redactor = redactor;
    }

    public Redactor redactor() {
        return redactor;
    }

    /**
     * @param action what failed, phrased to precede a colon ({@code "writing split orders[0,100)"})
     */
    public SyncException translate(String action, SQLException error) {
        String message = action + ": " + redactor.mask(dialect.describe(error));
        Throwable cause = redactor.sanitize(error);
        if (dialect.isRetriable(error)) {
            return new RetriableException(message, cause);
        }
        return new SyncException(ErrorKind.EXTERNAL, message, cause);
    }

    /** For failures that are not SQL exceptions (pool start-up, driver loading). */
    public SyncException translate(String action, RuntimeException error) {
        if (error instanceof SyncException sync) {
            return sync;
        }
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String detail = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        String message = action + ": " + redactor.mask(detail);
        Throwable cause = redactor.sanitize(error);
        if (root instanceof SQLException sql && dialect.isRetriable(sql)) {
            return new RetriableException(message, cause);
        }
        return new SyncException(ErrorKind.EXTERNAL, message, cause);
    }
}
