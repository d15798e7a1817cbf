package dev.ferry.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.JobContext;
import dev.ferry.api.Source;
import dev.ferry.api.Split;
import dev.ferry.api.Target;
import dev.ferry.api.TargetWriter;
import dev.ferry.api.WriterContext;
import dev.ferry.api.change.CapturedTable;
import dev.ferry.api.change.ChangeTarget;
import dev.ferry.api.change.ChangeWriter;
import dev.ferry.api.change.TableId;
import dev.ferry.api.change.TableMapping;
import dev.ferry.api.config.Redaction;
import dev.ferry.api.data.RowBatch;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.job.DirtyDataPolicy;
import dev.ferry.api.job.JobSettings;
import dev.ferry.api.job.ConnectorSpec;
import dev.ferry.api.job.JobMode;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.state.StateStore;
import dev.ferry.engine.Ticker;
import dev.ferry.engine.state.InMemoryStateStore;
import dev.ferry.engine.testing.ResumableSource;
import dev.ferry.engine.testing.RecordingContext;
import dev.ferry.engine.testing.TestSource;
import dev.ferry.engine.testing.TestTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Copying many tables through one set of channels, and resuming an interrupted copy split by split. */
class SnapshotCopyTest {

    private final StateStore store = new InMemoryStateStore();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final StreamObserver observer = new StreamObserver() {
        @Override
        public void copying(TableId table) {
            events.add("copying " + table);
        }

        @Override
        public void copied(TableId table, long rows, boolean earlier) {
            events.add("copied " + table + " " + rows + (earlier ? " earlier" : ""));
        }
    };

    private static List<CapturedTable> tables(int count) {
        return IntStream.range(0, count).mapToObj(i -> new CapturedTable(new TableId("s", "t" + i), TestSource.SCHEMA))
                .toList();
    }

    private static List<TableMapping> mappings(List<CapturedTable> tables) {
        return tables.stream().map(t -> new TableMapping(t.id(), t.schema(), "target." + t.id().name())).toList();
    }

    private SnapshotCopy copy(int concurrency, int slots) {
        JobSettings defaults = JobSettings.DEFAULT;
        JobSettings settings = new JobSettings(concurrency, defaults.rateLimit(), defaults.dirtyData(),
                defaults.resourceGroup(), defaults.retry(), defaults.buffer(), defaults.progressIntervalMillis(),
                defaults.stream());
        JobSpec spec = new JobSpec("job", JobMode.STREAM, new ConnectorSpec("test", Map.of()),
                new ConnectorSpec("test", Map.of()), settings);
        return new SnapshotCopy("job", spec, settings, new RecordingContext("job", concurrency), store,
                new DirtyData(DirtyDataPolicy.TOLERATE, Redaction.NONE), Ticker.system(), new StreamMetrics(),
                observer, slots, (what, step) -> step.run());
    }

    @Test
    void tablesAreCopiedAtOnceThroughTheChannelsTheStreamHolds() {
        List<CapturedTable> tables = tables(6);
        Targets targets = new Targets();
        // Table t0's only split waits until t1's has begun: copied one table after another, it never would.
        CountDownLatch t1Began = new CountDownLatch(1);
        Map<TableId, TestSource> sources = new ConcurrentHashMap<>();
        for (CapturedTable table : tables) {
            TestSource source = new TestSource(1, 100);
            if (table.id().name().equals("t0")) {
                source.onRow(row -> {
                    if (!t1Began.await(10, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("t1 was not copied while t0 was");
                    }
                });
            } else if (table.id().name().equals("t1")) {
                source.onRow(row -> t1Began.countDown());
            }
            sources.put(table.id(), source);
        }

        copy(4, 2).copy(mappings(tables), tables, sources::get, targets::snapshot);

        for (CapturedTable table : tables) {
            TestTarget target = targets.byTable.get("target." + table.id().name());
            assertEquals(100, target.committedIds().size(), table.id().toString());
            assertEquals(List.of("prepare", "commit", "post", "close"), target.calls(), table.id().toString());
            assertTrue(sources.get(table.id()).isClosed());
            assertTrue(events.contains("copied " + table.id() + " 100"), events.toString());
        }
        assertTrue(targets.maxWriters.get() <= 2, "writers open at once: " + targets.maxWriters.get());
        Map<String, Long> copied = PlanJson.readCopied(store.get(SnapshotCopy.copiedKey("job")).orElseThrow());
        assertEquals(6, copied.size(), copied.toString());
        assertEquals(Map.of(), store.list(SnapshotCopy.copyingPrefix("job")));
    }

    @Test
    void aCopyInterruptedMidTableResumesWithTheSplitsItHadNotWritten() {
        List<CapturedTable> tables = tables(2);
        TableId big = tables.get(1).id();
        // First start: t0 is copied, then t1 fails on its third split.
        Map<TableId, Source> first = Map.of(tables.get(0).id(), new ResumableSource(new TestSource(2, 10), "by id"),
                big, new ResumableSource(new TestSource(4, 10).failWhen(0, (split, attempt) -> split.id().equals("s2")
                        ? new SyncException(ErrorKind.EXTERNAL, "injected: crash") : null), "by id"));
        assertThrows(SyncException.class,
                () -> copy(1, 1).copy(mappings(tables), tables, first::get, new Targets()::snapshot));
        assertTrue(events.contains("copied s.t0 20"), events.toString());

        // Second start: t0 is not copied again and t1 reads only s2 and s3.
        events.clear();
        TestSource again = new TestSource(4, 10);
        Targets targets = new Targets();
        copy(1, 1).copy(mappings(tables), tables, Map.of(tables.get(0).id(), (Source) new ResumableSource(new TestSource(2, 10),
                "by id"), big, new ResumableSource(again, "by id"))::get, targets::snapshot);

        assertEquals(List.of("copied s.t0 20 earlier", "copying s.t1", "copied s.t1 40"), events);
        assertEquals(0, again.attempts("s0"));
        assertEquals(0, again.attempts("s1"));
        assertEquals(1, again.attempts("s2"));
        assertEquals(1, again.attempts("s3"));
        assertEquals(20, targets.byTable.get("target.t1").committedIds().size());
        assertEquals(Map.of(), store.list(SnapshotCopy.copyingPrefix("job")));
    }

    @Test
    void splitsPlannedUnderAnotherDesignArePlannedAgain() {
        List<CapturedTable> tables = tables(1);
        TableId table = tables.get(0).id();
        Map<TableId, Source> first = Map.of(table, new ResumableSource(new TestSource(3, 5).failWhen(0,
                (split, attempt) -> split.id().equals("s1") ? new SyncException(ErrorKind.EXTERNAL,
                        "injected: crash") : null), "by id"));
        assertThrows(SyncException.class,
                () -> copy(1, 1).copy(mappings(tables), tables, first::get, new Targets()::snapshot));

        TestSource again = new TestSource(3, 5);
        copy(1, 1).copy(mappings(tables), tables, Map.of(table, (Source) new ResumableSource(again, "by code"))::get,
                new Targets()::snapshot);

        assertEquals(1, again.attempts("s0"), "the split written under the old design is read again");
    }

    /** A change target whose copies go to one {@link TestTarget} per target table. */
    private static final class Targets implements ChangeTarget {

        final Map<String, TestTarget> byTable = new ConcurrentHashMap<>();
        final AtomicInteger writers = new AtomicInteger();
        final AtomicInteger maxWriters = new AtomicInteger();

        @Override
        public List<TableMapping> prepare(JobContext context, List<CapturedTable> tables) {
            return new ArrayList<>();
        }

        @Override
        public Target snapshot(TableMapping table) {
            TestTarget target = new TestTarget() {
                @Override
                public TargetWriter createWriter(WriterContext context) {
                    maxWriters.accumulateAndGet(writers.incrementAndGet(), Math::max);
                    TargetWriter writer = super.createWriter(context);
                    return new TargetWriter() {
                        @Override
                        public void startSplit(Split split) {
                            writer.startSplit(split);
                        }

                        @Override
                        public void write(RowBatch batch) {
                            writer.write(batch);
                        }

                        @Override
                        public void finishSplit() {
                            writer.finishSplit();
                        }

                        @Override
                        public void abortSplit() {
                            writer.abortSplit();
                        }

                        @Override
                        public void close() {
                            writers.decrementAndGet();
                            writer.close();
                        }
                    };
                }
            };
            byTable.put(table.target(), target);
            return target;
        }

        @Override
        public ChangeWriter createWriter(WriterContext context) {
            throw new UnsupportedOperationException("copies only");
        }

        @Override
        public void close() {
        }
    }
}
