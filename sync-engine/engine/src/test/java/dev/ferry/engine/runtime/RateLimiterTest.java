package dev.ferry.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.api.job.RateLimit;
import dev.ferry.engine.testing.ManualTicker;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    @Test
    void recordsPerSecondSpacesBatchesEvenly() {
        ManualTicker ticker = new ManualTicker();
        RateLimiter limiter = new RateLimiter(new RateLimit(1000, 0), ticker);
        for (int i = 0; i < 10; i++) {
            limiter.acquire(100, 1);
        }
        // 1000 records at 1000/s: the tenth batch may start after 900 ms.
        assertEquals(TimeUnit.MILLISECONDS.toNanos(900), ticker.sleptNanos());
    }

    @Test
    void bytesPerSecondAppliesWhenItIsTheTighterBound() {
        ManualTicker ticker = new ManualTicker();
        RateLimiter limiter = new RateLimiter(new RateLimit(1_000_000, 1000), ticker);
        limiter.acquire(1, 500);
        limiter.acquire(1, 500);
        limiter.acquire(1, 500);
        assertEquals(TimeUnit.MILLISECONDS.toNanos(1000), ticker.sleptNanos());
    }

    @Test
    void idleTimeIsNotSavedUpForABurst() {
        ManualTicker ticker = new ManualTicker();
        RateLimiter limiter = new RateLimiter(new RateLimit(100, 0), ticker);
        limiter.acquire(100, 0);
        ticker.advance(10, TimeUnit.SECONDS);
        limiter.acquire(100, 0);
        limiter.acquire(100, 0);
        assertEquals(TimeUnit.SECONDS.toNanos(1), ticker.sleptNanos());
    }

    @Test
    void unlimitedNeverWaits() {
        ManualTicker ticker = new ManualTicker();
        RateLimiter limiter = new RateLimiter(RateLimit.UNLIMITED, ticker);
        limiter.acquire(1_000_000, 1_000_000_000);
        assertEquals(0, ticker.sleptNanos());
    }
}
