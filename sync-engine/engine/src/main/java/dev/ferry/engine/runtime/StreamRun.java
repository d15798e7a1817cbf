package dev.ferry.engine.runtime;

import dev.ferry.api.Source;
import dev.ferry.api.change.CapturePlan;
import dev.ferry.api.change.CapturedTable;
import dev.ferry.api.change.ChangeBatch;
import dev.ferry.api.change.ChangeReader;
import dev.ferry.api.change.ChangeSource;
import dev.ferry.api.change.ChangeTarget;
import dev.ferry.api.change.ChangeWriter;
import dev.ferry.api.change.SupportsJoiningTables;
import dev.ferry.api.change.TableId;
import dev.ferry.api.change.TableMapping;
import dev.ferry.api.change.TableSnapshot;
import dev.ferry.api.data.RowBatch;
import dev.ferry.api.error.CancelledException;
import dev.ferry.api.error.PositionLostException;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.job.DirtyRecord;
import dev.ferry.api.job.JobEvent;
import dev.ferry.api.job.JobListener;
import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.job.JobStatus;
import dev.ferry.api.job.Progress;
import dev.ferry.api.job.Stage;
import dev.ferry.api.job.StreamReport;
import dev.ferry.api.state.Position;
import dev.ferry.api.state.StateStore;
import dev.ferry.engine.Ticker;
import dev.ferry.engine.config.JobValidator.ValidatedStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One streaming job: plan the capture, copy the tables when the plan asks for a snapshot, then
 * apply changes until stopped.
 *
 * <p>Design: the driver walks RUNNING through PRE (plan, or re-attach to the stored plan; prepare
 * the target tables) → SNAPSHOT (only for a new stream whose plan asks for it) → STREAM. In STREAM
 * one reader thread fills a {@link ChangeRouter}, which routes each change by table and key to one
 * of N {@link ChangeChannel}s; each channel's writer thread applies what gathered as one target
 * transaction, retrying it on a retriable failure. {@link Checkpoints} turns the writers' commits
 * into the latest position whose changes are all applied; the driver saves it in the state store
 * every checkpoint interval and only then acknowledges it to the source. After a crash the stream
 * resumes from the saved position and re-applies what followed it, which idempotent writers
 * absorb. {@link #stop()} lets the reader return after its current transaction, drains every
 * channel, saves the last checkpoint and ends STOPPED; {@link #cancel()} drops what is buffered.
 *
 * <p>State store keys: {@code stream/NAME/plan} and {@code stream/NAME/checkpoint}.
 *
 * <p>Threading: {@code run} on one driver thread; {@code stop}, {@code cancel}, {@code status} and
 * {@code progress} from any thread.
 */
public final class StreamRun extends RunBase {

    private static final Logger LOG = LoggerFactory.getLogger(StreamRun.class);

    private final JobSpec spec;
    private final ChangeSource source;
    private final ChangeTarget target;
    private final StreamObserver observer;
    private final boolean copyOnly;
    private final StreamMetrics metrics = new StreamMetrics();
    private final Set<TableId> joiningTables = new TreeSet<>();
    /** Tables whose changes up to their own position are applied already; saved with each checkpoint. */
    private final Map<TableId, Position> tablesFrom = new ConcurrentHashMap<>();
    /** Saving a checkpoint and going back in the log for joined tables exclude each other. */
    private final Object checkpointLock = new Object();
    /** While tables join: the source may not discard its log past their snapshot's position. */
    private volatile Position acknowledgeAtMost;
    /** Set when the joining tables are copied: the reader is replaced by one that goes back for them. */
    private final AtomicReference<Position> rejoinAt = new AtomicReference<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stopRequested;
    private volatile ChangeReader reader;
    private volatile ChangeChannel[] channels;
    private volatile Checkpoints checkpoints;
    private volatile SnapshotCopy snapshotCopy;
    private volatile long streamStartNanos;
    private volatile Position savedPosition;
    private volatile long lastLoggedApplied;
    private volatile long lastLoggedNanos;
    private int actualChannels;
    private volatile String positionLost;

    public StreamRun(ValidatedStream job, ResourceGroup group, List<JobListener> listeners, Ticker ticker,
                     StateStore stateStore, ScheduledExecutorService timer) {
        this(job, group, listeners, ticker, stateStore, timer, StreamObserver.NONE, false);
    }

    /**
     * @param observer follows the stream table by table
     * @param copyOnly copy the tables and end SUCCESS, removing what planning created on the source
     *                 (a full-only task); the copy is still one consistent snapshot of all tables
     */
    public StreamRun(ValidatedStream job, ResourceGroup group, List<JobListener> listeners, Ticker ticker,
                     StateStore stateStore, ScheduledExecutorService timer, StreamObserver observer, boolean copyOnly) {
        super(job.spec().name(), job.spec().settings(), job.redaction(), group, listeners, ticker, stateStore, timer);
        this.spec = job.spec();
        this.source = job.source();
        this.target = job.target();
        this.observer = observer;
        this.copyOnly = copyOnly;
    }

    /** The state-store key of the stream's plan. */
    public static String planKey(String job) {
        return "stream/" + job + "/plan";
    }

    /** The plan the stream's last start made, if it ever started. */
    public static Optional<CapturePlan> storedPlan(String job, ChangeSource source, StateStore store) {
        return store.get(planKey(job)).map(text -> PlanJson.read(text, source::parsePosition));
    }

    /** The state-store key of the stream's checkpoint. */
    public static String checkpointKey(String job) {
        return "stream/" + job + "/checkpoint";
    }

    /**
     * The state-store key of the tables that joined a stream with a checkpoint (a task's Edit) and
     * are not copied yet: they are copied before streaming resumes.
     */
    public static String joiningKey(String job) {
        return "stream/" + job + "/joining";
    }

    /** The state-store key of the tables a not yet finished snapshot has copied, with their rows. */
    public static String copiedKey(String job) {
        return SnapshotCopy.copiedKey(job);
    }

    /**
     * Forgets a stream: removes what its stored plan created on the source (slot, publication) and
     * every state-store record of it, so that its next start plans anew and copies every table. A
     * plan that can no longer be dropped (the slot is already gone) is only logged.
     */
    public static void forget(String job, ChangeSource source, StateStore store) {
        Optional<String> planText = store.get(planKey(job));
        if (planText.isPresent()) {
            try {
                source.drop(PlanJson.read(planText.get(), source::parsePosition));
            } catch (RuntimeException e) {
                LOG.warn("Job '{}': what the stream's plan created on the source could not be removed ({}); it is "
                        + "forgotten anyway", job, e.getMessage());
            }
        }
        Map<String, String> none = new HashMap<>();
        for (String key : List.of(planKey(job), checkpointKey(job), joiningKey(job))) {
            none.put(key, null);
        }
        SnapshotCopy.forgetProgress(job, store, none);
        store.putAll(none);
        LOG.info("Job '{}': stream state forgotten; the next start copies every table again", job);
    }

    @Override
    public void stop() {
        if (status().isTerminal() || stopRequested) {
            return;
        }
        stopRequested = true;
        LOG.info("Job '{}': stop requested in state {}", name(), status());
        group.wakeUp();
        ChangeReader current = reader;
        if (current != null) {
            current.stop();
        }
        SnapshotCopy copying = snapshotCopy;
        if (copying != null) {
            copying.cancel("job '" + name() + "' was stopped during its snapshot");
        }
    }

    @Override
    protected void onCancel() {
        fail(new CancelledException("job '" + name() + "' was cancelled"));
        SnapshotCopy copying = snapshotCopy;
        if (copying != null) {
            copying.cancel("job '" + name() + "' was cancelled");
        }
    }

    @Override
    public Progress progress() {
        long elapsed = elapsedSince(streamStartNanos);
        long applied = metrics.applied.sum();
        Position position = savedPosition;
        return new Progress(name(), metrics.read.sum(), applied, metrics.bytes.sum(), dirty.count(), 0, 0,
                TimeUnit.NANOSECONDS.toMillis(elapsed), perSecond(applied, elapsed), lagMillis(),
                position == null ? null : position.asText());
    }

    /** Per table, {inserts, updates, deletes} applied since this start, sorted by table. */
    public Map<dev.ferry.api.change.TableId, long[]> tableCounts() {
        return metrics.tableCounts();
    }

    /** The last saved checkpoint, or null before the first. */
    public Position savedCheckpoint() {
        return savedPosition;
    }

    /** Milliseconds the target is behind the source now; 0 when caught up. */
    public long lagMillis() {
        Checkpoints c = checkpoints;
        return c == null ? 0 : c.lagMillis(nowMicros());
    }

    @Override
    public void run() {
        claim();
        JobStatus outcome = JobStatus.FAILED;
        Stage failedStage = null;
        String error = null;
        try {
            acquireSlots();
            List<TableMapping> mappings = new ArrayList<>();
            CapturePlan plan = stage(Stage.PRE, () -> plan(mappings));
            Optional<String> stored = stateStore.get(checkpointKey(name()));
            Position from;
            List<CapturedTable> joinWhileStreaming = List.of();
            if (stored.isPresent()) {
                PlanJson.Checkpoint checkpoint = PlanJson.readCheckpoint(stored.get());
                from = source.parsePosition(checkpoint.position());
                savedPosition = from;
                checkpoint.tables().forEach((table, position) -> tablesFrom.put(TableId.parse(table),
                        source.parsePosition(position)));
                List<CapturedTable> joining = plan.tables().stream().filter(t -> joiningTables.contains(t.id())).toList();
                if (!joining.isEmpty() && source instanceof SupportsJoiningTables) {
                    joinWhileStreaming = joining;
                } else if (!joining.isEmpty()) {
                    // Without a snapshot of their own the joining tables are copied before streaming
                    // resumes from the checkpoint, which is older than the copy.
                    stage(Stage.SNAPSHOT, () -> {
                        snapshot(mappings, joining, id -> source.snapshot(plan, id));
                        return null;
                    });
                    Map<String, String> done = new HashMap<>();
                    done.put(joiningKey(name()), null);
                    SnapshotCopy.forgetProgress(name(), stateStore, done);
                    stateStore.putAll(done);
                }
                LOG.info("Job '{}': resuming after checkpoint {}", name(), from.asText());
            } else {
                if (plan.snapshot()) {
                    stage(Stage.SNAPSHOT, () -> {
                        snapshot(mappings, plan.tables(), id -> source.snapshot(plan, id));
                        return null;
                    });
                }
                from = plan.start();
                if (copyOnly) {
                    finishCopyOnly();
                    outcome = JobStatus.SUCCESS;
                    return;
                }
                Map<String, String> first = new HashMap<>();
                first.put(checkpointKey(name()), PlanJson.write(new PlanJson.Checkpoint(from.asText(), 0)));
                SnapshotCopy.forgetProgress(name(), stateStore, first);
                first.put(joiningKey(name()), null);
                stateStore.putAll(first);
                savedPosition = from;
            }
            if (!stopRequested) {
                List<CapturedTable> joining = joinWhileStreaming;
                stage(Stage.STREAM, () -> {
                    observer.streaming(from, joining.stream().map(CapturedTable::id).toList());
                    stream(plan, mappings, from, joining);
                    return null;
                });
            }
            outcome = JobStatus.STOPPED;
        } catch (Throwable t) {
            Ending ending = ending(t, stopRequested);
            positionLost = positionLost(t);
            outcome = ending.status();
            failedStage = ending.failedStage();
            error = ending.error();
        } finally {
            List<Cleanup> cleanups = new ArrayList<>();
            ChangeReader current = reader;
            if (current != null) {
                cleanups.add(new Cleanup("close the change reader", current::close));
            }
            cleanups.add(new Cleanup("close the target", target::close));
            cleanups.add(new Cleanup("close the source", source::close));
            end(outcome, failedStage, error, cleanups);
        }
    }

    /** What a {@link PositionLostException} among {@code t}'s causes says happened, redacted; else null. */
    private String positionLost(Throwable t) {
        for (Throwable cause = t; cause != null; cause = cause.getCause()) {
            if (cause instanceof PositionLostException lost) {
                return redaction.apply(lost.whatHappened());
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- PRE

    private CapturePlan plan(List<TableMapping> mappings) {
        Optional<String> previousText = stateStore.get(planKey(name()));
        CapturePlan previous = previousText.map(t -> PlanJson.read(t, source::parsePosition)).orElse(null);
        CapturePlan plan = source.plan(context, previous);
        String text = PlanJson.write(plan);
        Set<dev.ferry.api.change.TableId> joining = new TreeSet<>(
                PlanJson.readTables(stateStore.get(joiningKey(name())).orElse(null)));
        if (previous != null) {
            List<dev.ferry.api.change.TableId> before = previous.tables().stream().map(CapturedTable::id).toList();
            plan.tables().stream().map(CapturedTable::id).filter(id -> !before.contains(id)).forEach(joining::add);
        }
        joining.retainAll(plan.tables().stream().map(CapturedTable::id).toList());
        if (!previousText.equals(Optional.of(text))) {
            // The plan and the tables that joined it go together: a crash between them would leave
            // a joined table that is never copied.
            Map<String, String> values = new HashMap<>();
            values.put(planKey(name()), text);
            values.put(joiningKey(name()), joining.isEmpty() ? null : PlanJson.writeTables(joining));
            stateStore.putAll(values);
        }
        joiningTables.addAll(joining);
        LOG.info("Job '{}': {} {} table(s) {}, start {}", name(), previous == null ? "planned" : "re-attached to",
                plan.tables().size(), plan.tables().stream().map(t -> t.id().toString()).toList(),
                plan.start().asText());
        mappings.addAll(target.prepare(context, plan.tables()));
        observer.prepared(List.copyOf(mappings));
        return plan;
    }

    /** A full-only run is complete: nothing will stream, so what planning created on the source goes. */
    private void finishCopyOnly() {
        source.close(); // releases the exported snapshot, which holds the slot
        forget(name(), source, stateStore);
        LOG.info("Job '{}': every table copied; nothing streams, so the source's capture was removed", name());
    }

    // ---------------------------------------------------------------- SNAPSHOT

    /** Copies {@code tables} from {@code sources}, skipping what an interrupted earlier start copied already. */
    private void snapshot(List<TableMapping> mappings, List<CapturedTable> tables,
                          Function<TableId, Source> sources) {
        checkStopped();
        SnapshotCopy copy = new SnapshotCopy(name(), spec, settings, context, stateStore, dirty, ticker, metrics, observer,
                slotsHeld, this::quietly);
        snapshotCopy = copy;
        try {
            if (stopRequested || cancelRequested) {
                copy.cancel("job '" + name() + "' was stopped during its snapshot");
            }
            copy.copy(mappings, tables, sources, target::snapshot);
        } finally {
            snapshotCopy = null;
        }
    }

    private void checkStopped() {
        checkCancelled();
        if (stopRequested) {
            throw new CancelledException("job '" + name() + "' was stopped");
        }
    }

    // ---------------------------------------------------------------- STREAM

    /**
     * Streams from {@code from}. Tables in {@code joining} are copied meanwhile from a snapshot of
     * their own while the router drops their changes; once copied, the reader is replaced by one
     * that goes back to the snapshot's position for them (see {@link #rejoin}).
     */
    private void stream(CapturePlan plan, List<TableMapping> mappings, Position from, List<CapturedTable> joining) {
        actualChannels = Math.max(1, Math.min(settings.concurrency(), slotsHeld));
        keepSlots(actualChannels);
        ChangeChannel[] created = new ChangeChannel[actualChannels];
        long lingerNanos = TimeUnit.MILLISECONDS.toNanos(settings.stream().lingerMillis());
        for (int c = 0; c < created.length; c++) {
            created[c] = new ChangeChannel(settings.buffer().records(), settings.buffer().bytes(),
                    settings.buffer().batchSize(), lingerNanos);
        }
        checkpoints = new Checkpoints(actualChannels);
        channels = created;
        List<TableId> joiningIds = joining.stream().map(CapturedTable::id).toList();
        ChangeRouter router = new ChangeRouter(created, checkpoints, metrics, dirty, new HashSet<>(joiningIds));
        CountDownLatch writersDone = new CountDownLatch(actualChannels);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < actualChannels; c++) {
            int index = c;
            threads.add(thread("writer-" + c, () -> {
                try {
                    runWriter(index);
                } finally {
                    writersDone.countDown();
                }
            }));
        }
        TableSnapshot joinSnapshot = null;
        if (!joining.isEmpty()) {
            joinSnapshot = ((SupportsJoiningTables) source).openSnapshot(plan, joiningIds, context);
            acknowledgeAtMost = joinSnapshot.position();
            LOG.info("Job '{}': {} join the stream: copied from a snapshot at {} while the other tables stream",
                    name(), joiningIds, joinSnapshot.position().asText());
        }
        ChangeReader opened = attach(plan, from);
        reader = opened;
        if (stopRequested) {
            opened.stop();
        }
        streamStartNanos = ticker.nanoTime();
        lastLoggedNanos = streamStartNanos;
        startProgress(this::logProgress);
        threads.add(thread("reader", () -> {
            try {
                ChangeReader current = opened;
                while (true) {
                    current.read(router);
                    Position back = rejoinAt.getAndSet(null);
                    if (back == null || stopRequested || failure.get() != null) {
                        break;
                    }
                    current.close();
                    current = rejoin(plan, router, joiningIds, back);
                }
                router.finish();
            } catch (Throwable t) {
                fail(t);
            }
        }));
        if (joinSnapshot != null) {
            TableSnapshot snapshot = joinSnapshot;
            threads.add(thread("join", () -> copyJoining(mappings, joining, snapshot)));
        }
        threads.forEach(Thread::start);
        LOG.info("Job '{}': streaming from {} with {} writer channel(s)", name(), from.asText(), actualChannels);
        long interval = settings.stream().checkpointIntervalMillis();
        try {
            while (!writersDone.await(interval, TimeUnit.MILLISECONDS)) {
                checkpoint();
            }
            for (Thread thread : threads) {
                thread.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(new CancelledException("interrupted while streaming"));
        } finally {
            stopProgress();
            if (joinSnapshot != null) {
                quietly("close the joining tables' snapshot", joinSnapshot::close);
            }
        }
        // Whatever ended the stream, what was applied is applied: keep it.
        checkpoint();
        Throwable error = failure.get();
        if (error != null) {
            throw BatchQueue.asSyncException(error);
        }
    }

    /** A reader from {@code from}, each table of {@link #tablesFrom} starting after its own position. */
    private ChangeReader attach(CapturePlan plan, Position from) {
        Map<TableId, Position> later = new HashMap<>();
        tablesFrom.forEach((table, position) -> {
            if (position.compareTo(from) > 0) {
                later.put(table, position);
            }
        });
        if (later.isEmpty()) {
            return source.attach(plan, from, context);
        }
        if (!(source instanceof SupportsJoiningTables joinable)) {
            throw new SyncException(ErrorKind.INTERNAL, "the checkpoint starts tables " + later.keySet()
                    + " later than the stream, which this source cannot do");
        }
        return joinable.attach(plan, from, later, context);
    }

    /** The join thread: copies the joining tables, then asks the reader to go back for them. */
    private void copyJoining(List<TableMapping> mappings, List<CapturedTable> joining, TableSnapshot snapshot) {
        try {
            snapshot(mappings, joining, snapshot::source);
            snapshot.close();
            rejoinAt.set(snapshot.position());
            ChangeReader current = reader;
            if (current != null) {
                current.stop();
            }
        } catch (Throwable t) {
            if (!(t instanceof CancelledException && (stopRequested || cancelRequested))) {
                fail(t);
            }
        }
    }

    /**
     * The joining tables are copied as of {@code joinedAt}: once everything read so far is applied,
     * the checkpoint moves back to the older of it and the last safe position, with every other
     * table starting after that safe position, and a reader is attached from there. Saved before the
     * reader starts, so a crash from here on resumes the same way.
     */
    private ChangeReader rejoin(CapturePlan plan, ChangeRouter router, List<TableId> joined, Position joinedAt)
            throws InterruptedException {
        while (!checkpoints.awaitDrained(1000)) {
            if (stopRequested || failure.get() != null) {
                throw new CancelledException("job '" + name() + "' stopped while tables were joining");
            }
        }
        Position back;
        synchronized (checkpointLock) {
            Position safe = checkpoints.safe() != null && (savedPosition == null
                    || checkpoints.safe().compareTo(savedPosition) > 0) ? checkpoints.safe() : savedPosition;
            back = safe.compareTo(joinedAt) < 0 ? safe : joinedAt;
            for (CapturedTable table : plan.tables()) {
                Position own = joined.contains(table.id()) ? joinedAt : max(safe, tablesFrom.get(table.id()));
                if (own.compareTo(back) > 0) {
                    tablesFrom.put(table.id(), own);
                } else {
                    tablesFrom.remove(table.id());
                }
            }
            Map<String, String> values = new HashMap<>();
            values.put(checkpointKey(name()), PlanJson.write(new PlanJson.Checkpoint(back.asText(), 0, tablesText(back))));
            values.put(joiningKey(name()), null);
            SnapshotCopy.forgetProgress(name(), stateStore, values);
            stateStore.putAll(values);
            savedPosition = back;
            checkpoints.rewound();
            acknowledgeAtMost = null;
        }
        router.release(joined);
        LOG.info("Job '{}': {} copied; streaming goes back to {} for them ({} start later)", name(), joined,
                back.asText(), tablesFrom.keySet());
        ChangeReader next = attach(plan, back);
        reader = next;
        if (stopRequested) {
            next.stop();
        }
        observer.streaming(back, List.of());
        return next;
    }

    private static Position max(Position a, Position b) {
        return b == null || a.compareTo(b) >= 0 ? a : b;
    }

    /** The per-table start positions still ahead of {@code position}, as text for the checkpoint. */
    private Map<String, String> tablesText(Position position) {
        Map<String, String> text = new TreeMap<>();
        tablesFrom.forEach((table, own) -> {
            if (own.compareTo(position) > 0) {
                text.put(table.toString(), own.asText());
            }
        });
        return text;
    }

    private void runWriter(int index) {
        ChangeContext writerContext = new ChangeContext(index);
        try (ChangeWriter writer = target.createWriter(writerContext)) {
            ChangeChannel channel = channels[index];
            ChangeChannel.Drained drained;
            while ((drained = channel.take()) != null) {
                apply(writer, writerContext, drained);
                checkpoints.applied(index, drained.upTo());
            }
        } catch (Throwable t) {
            fail(t);
        }
    }

    /** Applies one drained set as one target transaction, again from the start after a retriable failure. */
    private void apply(ChangeWriter writer, ChangeContext writerContext, ChangeChannel.Drained drained) {
        int maxAttempts = settings.retry().maxAttempts();
        for (int attempt = 1; ; attempt++) {
            writerContext.dirtyInAttempt = 0;
            try {
                for (ChangeRows rows : drained.batches()) {
                    writer.write(rows);
                }
                writer.commit();
                for (ChangeRows rows : drained.batches()) {
                    metrics.applied(rows);
                }
                return;
            } catch (RuntimeException e) {
                try {
                    writer.rollback();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                dirty.retract(writerContext.dirtyInAttempt);
                SyncException error = BatchQueue.asSyncException(e);
                if (!error.isRetriable() || attempt >= maxAttempts || failure.get() != null) {
                    throw error;
                }
                long backoff = settings.retry().backoffBefore(attempt + 1);
                LOG.warn("Job '{}': applying {} change(s) failed (attempt {} of {}): {}; trying again in {} ms", name(),
                        drained.records(), attempt, maxAttempts, error.getMessage(), backoff);
                try {
                    ticker.sleepNanos(TimeUnit.MILLISECONDS.toNanos(backoff));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new CancelledException("interrupted while waiting to apply changes again");
                }
            }
        }
    }

    /**
     * Saves the latest safe position when it moved, then lets the source release what precedes it
     * (while tables join, no further than their snapshot's position).
     */
    private void checkpoint() {
        Position safe;
        synchronized (checkpointLock) {
            Checkpoints c = checkpoints;
            safe = c == null ? null : c.safe();
            if (safe == null || (savedPosition != null && safe.compareTo(savedPosition) <= 0)) {
                return;
            }
            try {
                saveCheckpoint(safe, c.safeCommitMicros());
            } catch (RuntimeException e) {
                fail(e);
                return;
            }
        }
        Position cap = acknowledgeAtMost;
        ChangeReader current = reader;
        if (current != null) {
            current.acknowledge(cap != null && cap.compareTo(safe) < 0 ? cap : safe);
        }
    }

    private void saveCheckpoint(Position position, long commitMicros) {
        tablesFrom.values().removeIf(own -> own.compareTo(position) <= 0);
        stateStore.put(checkpointKey(name()), PlanJson.write(new PlanJson.Checkpoint(position.asText(), commitMicros,
                tablesText(position))));
        savedPosition = position;
        metrics.checkpoints.increment();
        LOG.debug("Job '{}': checkpoint {}", name(), position.asText());
    }

    private void fail(Throwable t) {
        if (!failure.compareAndSet(null, t)) {
            return;
        }
        ChangeReader current = reader;
        if (current != null) {
            try {
                current.stop();
            } catch (RuntimeException e) {
                LOG.debug("stopping the reader failed", e);
            }
        }
        ChangeChannel[] all = channels;
        if (all != null) {
            String reason = t instanceof CancelledException ? t.getMessage() : "the stream failed";
            for (ChangeChannel channel : all) {
                channel.abort(reason);
            }
        }
    }

    private Thread thread(String role, Runnable body) {
        Thread thread = new Thread(body, "ferry-" + name() + "-" + role);
        thread.setDaemon(true);
        return thread;
    }

    private long nowMicros() {
        Instant now = ticker.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    private void logProgress() {
        long now = ticker.nanoTime();
        long applied = metrics.applied.sum();
        double rate = perSecond(applied - lastLoggedApplied, now - lastLoggedNanos);
        lastLoggedApplied = applied;
        lastLoggedNanos = now;
        Position position = savedPosition;
        LOG.info(String.format(Locale.ROOT,
                "Job '%s' progress: %,.0f changes/s, applied %,d (%,d inserts, %,d updates, %,d deletes), dirty %d, "
                        + "lag %d ms, checkpoint %s", name(), rate, applied, metrics.inserts.sum(),
                metrics.updates.sum(), metrics.deletes.sum(), dirty.count(), lagMillis(),
                position == null ? "-" : position.asText()));
        emit(new JobEvent.ProgressReported(name(), ticker.now(), progress()));
    }

    @Override
    protected JobReport report(JobStatus outcome, Stage failedStage, String error) {
        Instant endedAt = ticker.now();
        long elapsed = elapsedSince(streamStartNanos);
        long applied = metrics.applied.sum();
        Position position = savedPosition;
        StreamReport stream = new StreamReport(metrics.inserts.sum(), metrics.updates.sum(), metrics.deletes.sum(),
                dirty.count(), metrics.checkpoints.sum(), position == null ? null : position.asText(), lagMillis(),
                metrics.snapshotRows.sum(), positionLost);
        return new JobReport(name(), outcome, failedStage, error, metrics.read.sum(), applied, dirty.count(),
                metrics.bytes.sum(), List.of(), new JobReport.Concurrency(settings.concurrency(), actualChannels),
                group.name(), startedAt, endedAt, Math.max(0, endedAt.toEpochMilli() - startedAt.toEpochMilli()),
                TimeUnit.NANOSECONDS.toMillis(waitNanos), perSecond(applied, elapsed),
                perSecond(metrics.bytes.sum(), elapsed), stageTimings(), warnings(), dirty.samples(), stream);
    }

    /** A change writer's view of its channel: job facts plus dirty reporting with kind and key. */
    private final class ChangeContext extends ChannelWriterContext {

        long dirtyInAttempt;

        ChangeContext(int channel) {
            super(context, channel);
        }

        @Override
        public void reportDirty(RowBatch batch, int row, String reason) {
            dirtyInAttempt++;
            String what = batch instanceof ChangeBatch changes
                    ? changes.kind(row) + " " + changes.table() + " key " + key(changes, row) : "change";
            dirty.add(new DirtyRecord(batch instanceof ChangeBatch changes ? changes.table().toString() : "", 0,
                    "apply", what + ": " + reason, DirtyData.render(batch, row)));
        }

        @Override
        public void reportDirty(String record, String reason) {
            dirtyInAttempt++;
            dirty.add(new DirtyRecord("", 0, "apply", "change: " + reason, record));
        }

        private String key(ChangeBatch batch, int row) {
            StringBuilder sb = new StringBuilder("(");
            List<String> key = batch.schema().primaryKey();
            for (int i = 0; i < key.size(); i++) {
                int column = batch.schema().indexOf(key.get(i));
                sb.append(i == 0 ? "" : ", ").append(key.get(i)).append('=').append(batch.getObject(row, column));
            }
            return sb.append(')').toString();
        }
    }
}
