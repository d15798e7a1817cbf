package dev.ferry.connector.jdbc;

import dev.ferry.api.config.Redaction;
import dev.ferry.api.config.Secret;

/**
 * Removes secrets from text before it reaches a log line, an exception message or a dirty-record
 * reason: the configured password wherever it appears, any {@code password=…} parameter of a
 * JDBC URL (also {@code pwd}, {@code passwd}, {@code sslpassword}), and the password of a
 * {@code user:password@host} URL.
 *
 * <p>Drivers echo URLs and connection properties in their messages, so every text that comes
 * from a driver or holds a URL goes through {@link #mask(String)} and every exception handed to the
 * engine through {@link #sanitize(Throwable)}.
 *
 * <p>The masking itself is {@link Redaction}'s, shared with the engine; this class adds the
 * sanitising of driver exception chains.
 *
 * <p>Threading: immutable; safe to share.
 */
public final class Redactor {

    /** Redacts URL parameters only; for texts that may hold a URL but no configured secret. */
    public static final Redactor URL_ONLY = new Redactor(Redaction.NONE);

    private final Redaction redaction;

    private Redactor(Redaction redaction) {
        this.redaction = redaction;
    }

    /** A redactor for one endpoint's secrets; a null or empty secret is ignored. */
    public static Redactor of(Secret... secrets) {
        return new Redactor(Redaction.of(secrets));
    }

    /** The text with every secret replaced by {@link Secret#MASK}; null stays null. */
    public String mask(String text) {
        return redaction.apply(text);
    }

    /**
     * A copy of the exception chain whose messages are masked: each element keeps its class name
     * (in the message), SQLState and stack trace, so nothing useful for diagnosis is lost.
     */
    public Throwable sanitize(Throwable error) {
        if (error == null) {
            return null;
        }
        return sanitize(error, 0);
    }

    private Throwable sanitize(Throwable error, int depth) {
        String state = error instanceof java.sql.SQLException sql && sql.getSQLState() != null
                ? " [SQLState " + sql.getSQLState() + "]" : "";
        Throwable cause = error.getCause();
        if (cause == null && error instanceof java.sql.SQLException sql) {
            cause = sql.getNextException();
        }
        RedactedException copy = new RedactedException(error.getClass().getName() + state + ": " + mask(error.getMessage()),
                cause == null || depth > 8 || cause == error ? null : sanitize(cause, depth + 1));
        copy.setStackTrace(error.getStackTrace());
        return copy;
    }

    /** Stands in for a driver exception whose message might have held a secret. */
    static final class RedactedException extends Exception {

        RedactedException(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
