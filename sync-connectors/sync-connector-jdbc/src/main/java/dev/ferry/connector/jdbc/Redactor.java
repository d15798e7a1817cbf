package dev.ferry.connector.jdbc;

import dev.ferry.api.config.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * <p>Threading: immutable; safe to share.
 */
public final class Redactor {

    /** Redacts URL parameters only; for texts that may hold a URL but no configured secret. */
    public static final Redactor URL_ONLY = new Redactor(List.of());

    private static final Pattern URL_PASSWORD = Pattern.compile(
            "(?i)((?:ssl)?password|passwd|pwd)(\\s*=\\s*)([^&;,\\s)\"']*)");
    private static final Pattern USER_INFO = Pattern.compile("(//[^/:@\\s]+:)([^@/\\s]+)(@)");

    private final List<String> secrets;

    private Redactor(List<String> secrets) {
        this.secrets = List.copyOf(secrets);
    }

    /** A redactor for one endpoint's secrets; a null or empty secret is ignored. */
    public static Redactor of(Secret... secrets) {
        List<String> values = new ArrayList<>();
        for (Secret secret : secrets) {
            // Very short secrets would mask unrelated text; the URL patterns still catch them there.
            if (secret != null && secret.value().length() >= 3) {
                values.add(secret.value());
            }
        }
        return new Redactor(values);
    }

    /** The text with every secret replaced by {@link Secret#MASK}; null stays null. */
    public String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, Secret.MASK);
        }
        result = URL_PASSWORD.matcher(result).replaceAll(m -> Matcher.quoteReplacement(
                m.group(3).isEmpty() ? m.group() : m.group(1) + m.group(2) + Secret.MASK));
        result = USER_INFO.matcher(result).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + Secret.MASK + m.group(3)));
        return result;
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
