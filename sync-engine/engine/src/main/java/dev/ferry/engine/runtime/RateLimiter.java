package dev.ferry.engine.runtime;

import dev.ferry.api.error.CancelledException;
import dev.ferry.api.job.RateLimit;
import dev.ferry.engine.Ticker;

/**
 * One job-wide budget of records and bytes per second, shared by every channel.
 *
 * <p>Each call reserves the time its records and bytes cost at the configured rates and waits
 * until the reservation's start; unused time is not saved up, so an idle period never turns
 * into a burst. Channels call it once per batch, so it costs one short synchronized block per
 * batch.
 *
 * <p>Threading: safe for concurrent use.
 */
final class RateLimiter {

    private static final double NANOS_PER_SECOND = 1_000_000_000.0;

    private final double nanosPerRecord;
    private final double nanosPerByte;
    private final Ticker ticker;
    private long nextFreeNanos;
    private boolean started;

    RateLimiter(RateLimit limit, Ticker ticker) {
        this.nanosPerRecord = limit.recordsPerSecond() == 0 ? 0 : NANOS_PER_SECOND / limit.recordsPerSecond();
        this.nanosPerByte = limit.bytesPerSecond() == 0 ? 0 : NANOS_PER_SECOND / limit.bytesPerSecond();
        this.ticker = ticker;
    }

    boolean isUnlimited() {
        return nanosPerRecord == 0 && nanosPerByte == 0;
    }

    /** Waits until {@code records} and {@code bytes} fit the budget. */
    void acquire(long records, long bytes) {
        if (isUnlimited()) {
            return;
        }
        long cost = (long) Math.max(records * nanosPerRecord, bytes * nanosPerByte);
        long waitNanos;
        synchronized (this) {
            long now = ticker.nanoTime();
            long start = started ? Math.max(now, nextFreeNanos) : now;
            started = true;
            nextFreeNanos = start + cost;
            waitNanos = start - now;
        }
        if (waitNanos > 0) {
            try {
                ticker.sleepNanos(waitNanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancelledException("interrupted while rate limited");
            }
        }
    }
}
