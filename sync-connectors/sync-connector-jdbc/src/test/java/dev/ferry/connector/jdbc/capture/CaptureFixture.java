package dev.ferry.connector.jdbc.capture;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ferry.api.Source;
import dev.ferry.api.change.ChangeReader;
import dev.ferry.api.change.ChangeSource;
import dev.ferry.connector.jdbc.H2Connector;
import dev.ferry.connector.jdbc.testing.MapConfig;
import dev.ferry.connector.jdbc.testing.ReadResult;
import dev.ferry.connector.jdbc.testing.TestDatabase;
import dev.ferry.engine.testing.RecordingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One private in-memory H2 database for a capture test, the {@code h2} connector's change sources
 * over it, and change readers run on threads of their own; closing it stops and closes them all
 * and shuts the database down.
 */
final class CaptureFixture implements AutoCloseable {

    final TestDatabase db = TestDatabase.h2(TestDatabase.uniqueName("capture"));
    final RecordingContext context = new RecordingContext(TestDatabase.uniqueName("job"), 2);
    private final List<ChangeSource> sources = new ArrayList<>();
    private final List<ReaderRun> runs = new ArrayList<>();

    /** A change source capturing {@code tables}, with more keys as name and value pairs. */
    H2ChangeSource source(List<String> tables, Object... keysAndValues) {
        Map<String, Object> values = db.options(keysAndValues);
        values.put("tables", tables);
        H2Connector connector = new H2Connector();
        H2ChangeSource source = (H2ChangeSource) connector.createChangeSource(MapConfig.capture(connector, values));
        sources.add(source);
        return source;
    }

    void execute(String... statements) {
        db.execute(statements);
    }

    long queryLong(String sql) {
        return db.queryLong(sql);
    }

    /** Every row a batch source reads, through one split after another. */
    List<Object[]> copy(Source source) {
        try {
            return ReadResult.readAll(source, context).allRows();
        } finally {
            source.close();
        }
    }

    /** Starts {@code reader} on a thread of its own, delivering into a new sink. */
    ReaderRun start(ChangeReader reader) {
        ReaderRun run = new ReaderRun(reader);
        runs.add(run);
        return run;
    }

    @Override
    public void close() {
        runs.forEach(ReaderRun::close);
        sources.forEach(ChangeSource::close);
        db.execute("SHUTDOWN");
    }

    /** A reader running on its own thread. */
    static final class ReaderRun {

        final RecordingChangeSink sink = new RecordingChangeSink();
        final ChangeReader reader;
        private final Thread thread;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        ReaderRun(ChangeReader reader) {
            this.reader = reader;
            this.thread = new Thread(() -> {
                try {
                    reader.read(sink);
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "change-reader");
            thread.setDaemon(true);
            thread.start();
        }

        /** Stops the reader, waits until {@code read} returned, and rethrows what it threw. */
        RecordingChangeSink stop() throws InterruptedException {
            reader.stop();
            thread.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(thread.isAlive(), "the reader did not return within ten seconds of stop()");
            reader.close();
            rethrow();
            return sink;
        }

        /** Rethrows what {@code read} threw, if anything. */
        void rethrow() {
            Throwable t = failure.get();
            if (t instanceof RuntimeException e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
            }
        }

        boolean isRunning() {
            return thread.isAlive();
        }

        private void close() {
            reader.stop();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reader.close();
        }
    }
}
