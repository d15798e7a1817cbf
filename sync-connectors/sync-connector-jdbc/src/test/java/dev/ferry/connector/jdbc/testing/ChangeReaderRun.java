package dev.ferry.connector.jdbc.testing;

import static org.junit.jupiter.api.Assertions.fail;

import dev.ferry.api.change.ChangeReader;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * A {@link ChangeReader} reading into a {@link RecordingChangeSink} on a thread of its own, as the
 * engine runs it; {@link #close} stops and closes it and reports a failure it ended with.
 */
public final class ChangeReaderRun implements AutoCloseable {

    private final ChangeReader reader;
    private final RecordingChangeSink sink = new RecordingChangeSink();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private boolean closed;

    private ChangeReaderRun(ChangeReader reader, String name) {
        this.reader = reader;
        this.thread = new Thread(() -> {
            try {
                reader.read(sink);
            } catch (Throwable t) {
                failure.set(t);
            }
        }, name);
        thread.setDaemon(true);
    }

    /** Starts {@code reader} on a new thread. */
    public static ChangeReaderRun start(ChangeReader reader, String name) {
        ChangeReaderRun run = new ChangeReaderRun(reader, name);
        run.thread.start();
        return run;
    }

    public RecordingChangeSink sink() {
        return sink;
    }

    /**
     * Waits until a committed change matches {@code wanted}, failing when the reader fails or the
     * time is up.
     */
    public void awaitChange(Predicate<RecordingChangeSink.Change> wanted, long timeout, TimeUnit unit) {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (sink.changes().stream().noneMatch(wanted)) {
            Throwable failed = failure.get();
            if (failed != null) {
                throw new AssertionError("the reader failed: " + failed, failed);
            }
            if (!thread.isAlive()) {
                fail("the reader returned before the change came");
            }
            if (System.nanoTime() > deadline) {
                fail("no such change within " + timeout + " " + unit + "; " + sink.changes().size()
                        + " changes, reached " + sink.reached());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /** Stops the reader, waits for its thread, closes it, and throws what it failed with, if anything. */
    @Override
    public void close() throws InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        reader.stop();
        thread.join(TimeUnit.SECONDS.toMillis(60));
        reader.close();
        if (thread.isAlive()) {
            fail("the reader did not return within 60 s of stop()");
        }
        Throwable failed = failure.get();
        if (failed != null) {
            throw new AssertionError("the reader failed: " + failed, failed);
        }
    }
}
