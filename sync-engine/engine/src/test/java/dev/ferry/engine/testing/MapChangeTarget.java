package dev.ferry.engine.testing;

import dev.ferry.api.JobContext;
import dev.ferry.api.Target;
import dev.ferry.api.WriterContext;
import dev.ferry.api.change.CapturedTable;
import dev.ferry.api.change.ChangeBatch;
import dev.ferry.api.change.ChangeKind;
import dev.ferry.api.change.ChangeTarget;
import dev.ferry.api.change.ChangeWriter;
import dev.ferry.api.change.TableMapping;
import dev.ferry.api.error.RetriableException;
import dev.ferry.api.error.SyncException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A change target that applies {@code id → v} rows to a map at commit, the way a keyed database
 * table would: inserts and full updates overwrite, updates with an unchanged value keep the old
 * one, deletes remove. Failures can be injected into commits; every committed row counts down
 * {@link #awaitApplied}.
 */
public final class MapChangeTarget implements ChangeTarget {

    /** A value this target refuses, reporting the change as dirty. */
    public static final String REFUSED = "refused";

    public final Map<Long, String> rows = new ConcurrentHashMap<>();
    public final AtomicInteger commits = new AtomicInteger();
    public final AtomicLong applied = new AtomicLong();
    /** Commits that fail with this exception before the next one succeeds. */
    public final AtomicInteger failingCommits = new AtomicInteger();
    public volatile SyncException failure = new RetriableException("injected: connection reset");
    private volatile CountDownLatch appliedLatch = new CountDownLatch(0);
    private volatile Consumer<ChangeBatch> onWrite = batch -> { };

    /** Arms a latch that opens once {@code rows} more rows were committed. */
    public CountDownLatch expect(long rowCount) {
        appliedLatch = new CountDownLatch((int) rowCount);
        return appliedLatch;
    }

    /** Runs {@code hook} in each write, on the writer's thread (to block or fail a writer). */
    public void onWrite(Consumer<ChangeBatch> hook) {
        onWrite = hook;
    }

    @Override
    public List<TableMapping> prepare(JobContext context, List<CapturedTable> tables) {
        List<TableMapping> mappings = new ArrayList<>();
        for (CapturedTable table : tables) {
            mappings.add(new TableMapping(table.id(), table.schema(), table.id().name()));
        }
        return mappings;
    }

    @Override
    public Target snapshot(TableMapping table) {
        throw new UnsupportedOperationException("no snapshots here");
    }

    @Override
    public ChangeWriter createWriter(WriterContext context) {
        return new ChangeWriter() {
            private final List<Object[]> pending = new ArrayList<>();

            @Override
            public void write(ChangeBatch batch) {
                onWrite.accept(batch);
                for (int r = 0; r < batch.size(); r++) {
                    if (REFUSED.equals(batch.getObject(r, 1))) {
                        context.reportDirty(batch, r, "value '" + REFUSED + "' is refused");
                        continue;
                    }
                    pending.add(new Object[] {batch.kind(r), batch.getLong(r, 0),
                            batch.isUnchanged(r, 1) ? null : batch.getObject(r, 1), batch.isUnchanged(r, 1)});
                }
            }

            @Override
            public void commit() {
                if (failingCommits.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    throw failure;
                }
                synchronized (rows) {
                    for (Object[] change : pending) {
                        long id = (Long) change[1];
                        switch ((ChangeKind) change[0]) {
                            case DELETE -> rows.remove(id);
                            case UPDATE_BEFORE -> { }
                            default -> {
                                if (!(Boolean) change[3]) {
                                    rows.put(id, (String) change[2]);
                                }
                            }
                        }
                    }
                }
                commits.incrementAndGet();
                applied.addAndGet(pending.size());
                for (int i = 0; i < pending.size(); i++) {
                    appliedLatch.countDown();
                }
                pending.clear();
            }

            @Override
            public void rollback() {
                pending.clear();
            }

            @Override
            public void close() {
                pending.clear();
            }
        };
    }

    @Override
    public void close() {
    }
}
