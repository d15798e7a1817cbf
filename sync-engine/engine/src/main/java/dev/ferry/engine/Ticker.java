package dev.ferry.engine;

import java.time.Instant;

/**
 * The engine's source of time: rate limits, retry back-off, progress and reports read it, so that
 * tests can drive time by hand instead of sleeping.
 *
 * <p>Threading: implementations are safe for concurrent use.
 */
public interface Ticker {

    /** Monotonic nanoseconds, as {@link System#nanoTime()}. */
    long nanoTime();

    /** Wall-clock time for reports. */
    Instant now();

    /** Waits {@code nanos} of this ticker's time. */
    void sleepNanos(long nanos) throws InterruptedException;

    /** The real clock. */
    static Ticker system() {
        return SystemTicker.INSTANCE;
    }
}

enum SystemTicker implements Ticker {
    INSTANCE;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public void sleepNanos(long nanos) throws InterruptedException {
        if (nanos > 0) {
            java.util.concurrent.TimeUnit.NANOSECONDS.sleep(nanos);
        }
    }
}
