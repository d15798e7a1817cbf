package dev.ferry.engine.testing;

import dev.ferry.engine.Ticker;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Ticker} whose time moves only when someone sleeps on it or calls {@link #advance}:
 * {@code sleepNanos} returns at once after moving the clock, so rate-limit and back-off tests run
 * in no real time and can assert exactly how long the engine waited.
 */
public final class ManualTicker implements Ticker {

    private static final Instant ORIGIN = Instant.parse("2026-01-01T00:00:00Z");

    private final AtomicLong nanos = new AtomicLong(1);
    private final AtomicLong slept = new AtomicLong();

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public Instant now() {
        return ORIGIN.plusNanos(nanos.get());
    }

    @Override
    public void sleepNanos(long duration) {
        if (duration > 0) {
            slept.addAndGet(duration);
            nanos.addAndGet(duration);
        }
    }

    public void advance(long amount, TimeUnit unit) {
        nanos.addAndGet(unit.toNanos(amount));
    }

    /** Total time all callers have slept. */
    public long sleptNanos() {
        return slept.get();
    }
}
