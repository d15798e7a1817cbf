package dev.ferry.api.job;

import java.io.Serializable;

/**
 * How a split that failed with a retriable error is tried again.
 *
 * @param maxAttempts   attempts per split including the first, >= 1 (1 = no retry)
 * @param backoffMillis wait before the second attempt; doubled for each further one, >= 0
 */
public record RetryPolicy(int maxAttempts, long backoffMillis) implements Serializable {

    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final long DEFAULT_BACKOFF_MILLIS = 1000;
    public static final RetryPolicy DEFAULT = new RetryPolicy(DEFAULT_MAX_ATTEMPTS, DEFAULT_BACKOFF_MILLIS);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("settings.retry.maxAttempts must be >= 1, got " + maxAttempts);
        }
        if (backoffMillis < 0) {
            throw new IllegalArgumentException("settings.retry.backoffMillis must be >= 0, got " + backoffMillis);
        }
    }

    /** The wait before attempt {@code attempt} (2, 3, …). */
    public long backoffBefore(int attempt) {
        int doublings = Math.max(0, Math.min(attempt - 2, 20));
        return backoffMillis << doublings;
    }
}
