package dev.ferry.cli;

import dev.ferry.engine.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** The real clock moved by an offset a test sets; monotonic time is the real one. */
final class MovableClock implements Ticker {

    final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    /** Moves the wall clock so that it reads {@code moment} now. */
    void set(Instant moment) {
        offset.set(Duration.between(Instant.now(), moment));
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Instant now() {
        return Instant.now().plus(offset.get());
    }

    @Override
    public void sleepNanos(long nanos) throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep(nanos);
    }
}
