package dev.ferry.connector.jdbc;

import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.RetriableException;
import dev.ferry.api.error.SyncException;
import java.sql.SQLException;

/**
 * Turns driver exceptions into Ferry's: a {@link RetriableException} when the database's
 * {@link ErrorClassifier} says the connection or transaction failed (so the engine may retry the
 * split), a {@link SyncException} of kind EXTERNAL otherwise. Messages and causes are masked by the endpoint's {@link Redactor}.
 *
 * <p>Threading: immutable; safe to share.
 */
public final class ErrorTranslator {

    private final ErrorClassifier classifier;
    private final Redactor redactor;

    /**
     * @param classifier the database's error classification ({@link Dialect#errors()})
     * @param redactor   the endpoint's masking of secrets
     */
    public ErrorTranslator(ErrorClassifier classifier, Redactor redactor) {
        this.classifier = classifier;
        this.redactor = redactor;
    }

    public Redactor redactor() {
        return redactor;
    }

    /**
     * @param action what failed, phrased to precede a colon ({@code "writing split orders[0,100)"})
     */
    public SyncException translate(String action, SQLException error) {
        String message = action + ": " + redactor.mask(classifier.describe(error));
        Throwable cause = redactor.sanitize(error);
        if (classifier.isRetriable(error)) {
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
        if (root instanceof SQLException sql && classifier.isRetriable(sql)) {
            return new RetriableException(message, cause);
        }
        return new SyncException(ErrorKind.EXTERNAL, message, cause);
    }
}
