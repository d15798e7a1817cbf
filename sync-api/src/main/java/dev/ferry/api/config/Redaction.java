package dev.ferry.api.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in text bound for logs, reports and exception messages: every known secret value,
 * {@code password=…}-style parameters (JDBC URLs, driver messages) and the password of a URL's
 * {@code user:password@host} part, whoever wrote the text. The engine masks everything it prints
 * with the job's secrets; connectors mask what they log or put in exceptions themselves.
 *
 * <p>It is the one piece of behaviour in the API, kept here so that every connector and the
 * engine mask the same way.
 *
 * <p>Threading: immutable; safe to share.
 *
 * @param secrets the secret values, longest first (so a secret that contains another is masked whole)
 */
public record Redaction(List<String> secrets) {

    /** Masks URL and parameter passwords only. */
    public static final Redaction NONE = new Redaction(List.of());

    /** Secrets shorter than this are not replaced as plain text: they would mask unrelated words. */
    public static final int MIN_SECRET_LENGTH = 3;

    private static final Pattern PASSWORD_PARAMETER =
            Pattern.compile("(?i)((?:ssl)?(?:password|passwd|pwd))(\\s*[=:]\\s*)([^&;,\\s)\"']*)");
    private static final Pattern USER_INFO = Pattern.compile("(//[^/:@\\s]+:)([^@/\\s]+)(@)");

    public Redaction {
        List<String> values = new ArrayList<>();
        for (String secret : secrets) {
            if (secret != null && secret.length() >= MIN_SECRET_LENGTH) {
                values.add(secret);
            }
        }
        values.sort(Comparator.comparingInt(String::length).reversed());
        secrets = List.copyOf(values);
    }

    /** A redaction of these secret values. */
    public static Redaction of(Collection<String> secretValues) {
        return new Redaction(new ArrayList<>(secretValues));
    }

    /** A redaction of these secrets; null or empty ones are ignored. */
    public static Redaction of(Secret... secrets) {
        List<String> values = new ArrayList<>();
        for (Secret secret : secrets) {
            if (secret != null) {
                values.add(secret.value());
            }
        }
        return new Redaction(values);
    }

    /** The text with every secret replaced by {@link Secret#MASK}; null stays null. */
    public String apply(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, Secret.MASK);
        }
        result = PASSWORD_PARAMETER.matcher(result).replaceAll(m -> Matcher.quoteReplacement(
                m.group(3).isEmpty() ? m.group() : m.group(1) + m.group(2) + Secret.MASK));
        return USER_INFO.matcher(result).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + Secret.MASK + m.group(3)));
    }

    @Override
    public String toString() {
        return "Redaction[" + secrets.size() + " secrets]";
    }
}
