package dev.ferry.engine.testing;

import dev.ferry.api.JobContext;
import dev.ferry.api.Source;
import dev.ferry.api.change.CapturePlan;
import dev.ferry.api.change.CapturedTable;
import dev.ferry.api.change.ChangeKind;
import dev.ferry.api.change.ChangeReader;
import dev.ferry.api.change.ChangeSink;
import dev.ferry.api.change.ChangeSource;
import dev.ferry.api.change.TableId;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.state.Position;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A change source over an in-memory log of transactions on one table {@code s.t(id, v)}. The log
 * can grow while a reader runs; a reader delivers every transaction after its start position, then
 * waits for more until stopped. Positions are {@link SeqPosition}s: transaction {@code n} commits
 * at {@code tx-n}.
 */
public final class ScriptedChangeSource implements ChangeSource {

    public static final TableId TABLE = new TableId("s", "t");
    public static final TableSchema SCHEMA = new TableSchema("s.t",
            List.of(new Column("id", DataType.INT64, false, 0, 0, ""), Column.of("v", DataType.STRING)), List.of("id"));

    /** One change of the log: a null value on an update means "unchanged". */
    public record Change(ChangeKind kind, long id, String value) {
    }

    private final List<List<Change>> log = new ArrayList<>();
    public final List<Position> acknowledged = new CopyOnWriteArrayList<>();
    public final List<Position> attachedFrom = new CopyOnWriteArrayList<>();
    public final List<CapturePlan> previousPlans = new CopyOnWriteArrayList<>();

    /** Appends a transaction; readers see it. Returns its position. */
    public synchronized SeqPosition append(Change... changes) {
        log.add(List.of(changes));
        notifyAll();
        return new SeqPosition(log.size());
    }

    private synchronized List<Change> awaitTransaction(long n, ScriptedReader reader) throws InterruptedException {
        while (log.size() < n && !reader.stopped) {
            wait(50);
        }
        return reader.stopped && log.size() < n ? null : log.get((int) n - 1);
    }

    @Override
    public CapturePlan plan(JobContext context, CapturePlan previous) {
        previousPlans.add(previous == null ? new CapturePlan("none", List.of(new CapturedTable(TABLE, SCHEMA)),
                new SeqPosition(-1), false, Map.of()) : previous);
        return previous != null ? previous : new CapturePlan("test-stream", List.of(new CapturedTable(TABLE, SCHEMA)),
                new SeqPosition(0), false, Map.of());
    }

    @Override
    public Source snapshot(CapturePlan plan, TableId table) {
        throw new UnsupportedOperationException("the scripted log has no snapshot");
    }

    /** When set, {@link #attach} throws it, as a source whose log no longer holds the position does. */
    public volatile RuntimeException attachFailure;

    @Override
    public ChangeReader attach(CapturePlan plan, Position from, JobContext context) {
        attachedFrom.add(from);
        if (attachFailure != null) {
            throw attachFailure;
        }
        return new ScriptedReader(((SeqPosition) from).n());
    }

    @Override
    public Position parsePosition(String text) {
        return SeqPosition.parse(text);
    }

    @Override
    public void drop(CapturePlan plan) {
    }

    @Override
    public void close() {
    }

    private final class ScriptedReader implements ChangeReader {
        private final long start;
        private volatile boolean stopped;

        ScriptedReader(long start) {
            this.start = start;
        }

        @Override
        public void read(ChangeSink sink) {
            int table = sink.table(TABLE, SCHEMA);
            for (long n = start + 1; ; n++) {
                List<Change> tx;
                try {
                    tx = awaitTransaction(n, this);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (tx == null) {
                    return;
                }
                for (Change change : tx) {
                    sink.begin(table, change.kind(), new SeqPosition(n), n * 1000);
                    sink.setLong(0, change.id());
                    if (change.kind() == ChangeKind.DELETE) {
                        sink.setUnchanged(1);
                    } else if (change.value() == null) {
                        sink.setUnchanged(1);
                    } else {
                        sink.setObject(1, change.value());
                    }
                    sink.emit();
                }
                sink.commit(new SeqPosition(n), n * 1000);
            }
        }

        @Override
        public void acknowledge(Position position) {
            acknowledged.add(position);
        }

        @Override
        public void stop() {
            stopped = true;
        }

        @Override
        public void close() {
            stopped = true;
        }
    }
}
