package dev.ferry.api.job;

import java.io.Serializable;

/**
 * The {@code settings.stream} block of a streaming job.
 *
 * @param lingerMillis             how long the first change waiting in a writer channel may wait
 *                                 for more before the channel applies what it has, >= 0
 * @param checkpointIntervalMillis how often the applied position is saved and acknowledged to
 *                                 the source, >= 10
 */
public record StreamSettings(long lingerMillis, long checkpointIntervalMillis) implements Serializable {

    public static final long DEFAULT_LINGER_MILLIS = 5;
    public static final long DEFAULT_CHECKPOINT_INTERVAL_MILLIS = 1_000;
    public static final StreamSettings DEFAULT = new StreamSettings(DEFAULT_LINGER_MILLIS,
            DEFAULT_CHECKPOINT_INTERVAL_MILLIS);

    public StreamSettings {
        if (lingerMillis < 0) {
            throw new IllegalArgumentException("settings.stream.lingerMillis must be >= 0, got " + lingerMillis);
        }
        if (checkpointIntervalMillis < 10) {
            throw new IllegalArgumentException("settings.stream.checkpointIntervalMillis must be >= 10, got "
                    + checkpointIntervalMillis);
        }
    }
}
