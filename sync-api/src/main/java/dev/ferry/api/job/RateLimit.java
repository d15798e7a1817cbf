package dev.ferry.api.job;

import java.io.Serializable;

/**
 * A job-wide speed limit shared by all channels.
 *
 * @param recordsPerSecond at most this many records per second; 0 = unlimited
 * @param bytesPerSecond   at most this many bytes per second; 0 = unlimited
 */
public record RateLimit(long recordsPerSecond, long bytesPerSecond) implements Serializable {

    public static final RateLimit UNLIMITED = new RateLimit(0, 0);

    public RateLimit {
        if (recordsPerSecond < 0) {
            throw new IllegalArgumentException("settings.rateLimit.recordsPerSecond must be >= 0, got " + recordsPerSecond);
        }
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("settings.rateLimit.bytesPerSecond must be >= 0, got " + bytesPerSecond);
        }
    }

    public boolean isUnlimited() {
        return recordsPerSecond == 0 && bytesPerSecond == 0;
    }
}
