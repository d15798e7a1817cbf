package dev.ferry.api.error;

import java.util.Objects;

/**
 * One thing wrong with a job description.
 *
 * @param key   the key's path in the job file ({@code "settings.concurrency"}, {@code "source.path"})
 * @param rule  what the value must satisfy, phrased to follow the key ({@code "must be >= 1"})
 * @param value the offending value as text, already masked if secret; null when the key is missing
 */
public record Violation(String key, String rule, String value) {

    public Violation {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(rule, "rule");
    }

    /** {@code "settings.concurrency must be >= 1, got 0"}. */
    public String message() {
        return value == null ? key + " " + rule : key + " " + rule + ", got " + value;
    }

    @Override
    public String toString() {
        return message();
    }
}
