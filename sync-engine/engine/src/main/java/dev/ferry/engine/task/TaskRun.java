package dev.ferry.engine.task;

import dev.ferry.api.change.TableId;
import dev.ferry.api.change.TableMapping;
import dev.ferry.api.error.CancelledException;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.JobStatus;
import dev.ferry.api.state.Position;
import dev.ferry.api.state.StateStore;
import dev.ferry.api.task.MergeInstance;
import dev.ferry.api.task.TaskRunRecord;
import dev.ferry.api.task.TaskSpec;
import dev.ferry.api.task.TaskState;
import dev.ferry.api.task.TaskStatus;
import dev.ferry.engine.TaskHandle;
import dev.ferry.engine.config.JobValidator.ValidatedStream;
import dev.ferry.engine.runtime.StreamObserver;
import dev.ferry.engine.runtime.StreamRun;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.ferry.engine.runtime.PartitionCopyRun;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one sync task in this process while holding its lease: the committed version's stream
 * (Schema Migration, Full Initialization, Real-time Synchronization), restarted in place for an
 * Edit or a Rerun, until the task is stopped or fails.
 *
 * <p>Design: the driver thread runs the task's {@link StreamRun}; a timer renews the lease every
 * second, takes on operations other processes asked for through the {@link TaskStore}, and saves
 * the {@link TaskTracker}'s status. An Edit or a Rerun stops the stream at a checkpoint and starts
 * it again on the task's current version: the stream then copies the tables that joined (Edit) or,
 * having forgotten its state, every table (Rerun), and streams from its checkpoint or new start.
 * The lease is released last, after the final status is saved, so a process that finds the lease
 * free also finds the final status.
 *
 * <p>Threading: {@link #run} on one driver thread; the rest from any thread.
 */
public final class TaskRun implements TaskHandle, Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(TaskRun.class);

    /** How long a lease lasts without renewal; the runner renews it every {@link #TICK_MILLIS}. */
    public static final Duration LEASE_TTL = Duration.ofSeconds(20);
    static final long TICK_MILLIS = 1000;

    /** Turns a task's version into a running stream. */
    public interface Streams {

        /** Checks one of a task's streaming jobs completely and creates its change source and target. @throws dev.ferry.api.error.ConfigException */
        ValidatedStream validate(dev.ferry.api.job.JobSpec job);

        /** The stream of a validated task, reporting to {@code observer}. */
        StreamRun create(ValidatedStream job, StreamObserver observer, boolean copyOnly);

        /** A Full Data Backfill of {@code tables} (all when empty) of a validated stream into {@code date}'s partitions. */
        PartitionCopyRun backfill(ValidatedStream job, String name, LocalDate date, Set<TableId> tables);
    }

    /** What a run does once it holds the lease. */
    public enum Mode {
        /** Runs the task until stopped (or, for a full-only task, until every table is copied). */
        RUN,
        /** Copies every table again from a new start, then stops: a Rerun of a task nobody runs. */
        RERUN_THEN_STOP
    }

    private final String name;
    private final TaskStore tasks;
    private final StateStore store;
    private final Function<String, TaskSpec> parser;
    private final Streams streams;
    private final ScheduledExecutorService timer;
    private final String holder;
    private final Mode mode;
    private final TaskTracker tracker;
    private final CompletableFuture<TaskStatus> completion = new CompletableFuture<>();
    private volatile List<StreamRun> current = List.of();
    private volatile Set<String> currentLabels = Set.of();
    private volatile boolean stopRequested;
    private volatile String restartFor;
    private volatile String lostLease;
    private ScheduledFuture<?> ticking;
    private String savedStatus;
    /** The version being run, for the merge schedule; null before the first. */
    private volatile TaskSpec running;
    /** The date this start's copies write, held while they run; null before the first start. */
    private volatile CopyDate copies;
    /** The streams (by label) of this start whose tables are all copied. */
    private final Set<String> streamingLabels = ConcurrentHashMap.newKeySet();
    /** Set while a merge runs: the runner runs one at a time. */
    private final AtomicBoolean merging = new AtomicBoolean();

    /** A run for a task whose lease {@code holder} already holds. */
    public TaskRun(String name, TaskStore tasks, StateStore store, Function<String, TaskSpec> parser, Streams streams,
                   ScheduledExecutorService timer, String holder, Mode mode) {
        this.name = name;
        this.tasks = tasks;
        this.store = store;
        this.parser = parser;
        this.streams = streams;
        this.timer = timer;
        this.holder = holder;
        this.mode = mode;
        this.tracker = new TaskTracker(name, tasks.status(name).map(TaskStatusJson::read).orElse(null));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public TaskStatus status() {
        return tracker.status();
    }

    @Override
    public CompletableFuture<TaskStatus> completion() {
        return completion;
    }

    @Override
    public void stop() {
        if (stopRequested) {
            return;
        }
        stopRequested = true;
        LOG.info("Task '{}': stop requested", name);
        current.forEach(StreamRun::stop);
    }

    /** Applies the task's current version in place: the running stream checkpoints and starts again on it. */
    public void edit() {
        restart("edit");
    }

    /** Copies every table again and streams from a new start, the running stream being replaced. */
    public void rerun() {
        restart("rerun");
    }

    private void restart(String operation) {
        if (stopRequested) {
            return;
        }
        LOG.info("Task '{}': {} requested; the stream stops at a checkpoint and starts again", name, operation);
        restartFor = "rerun".equals(restartFor) ? restartFor : operation;
        current.forEach(StreamRun::stop);
    }

    @Override
    public void run() {
        java.time.Instant startedAt = tasks.now();
        TaskState outcome = TaskState.FAILED;
        String error = null;
        ticking = timer.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        try {
            boolean rerun = mode == Mode.RERUN_THEN_STOP;
            while (true) {
                int version = tasks.currentVersion(name);
                TaskSpec spec = parser.apply(tasks.version(name, version).orElseThrow(() -> new IllegalStateException(
                        "task '" + name + "' has no version " + version)));
                if (copies != null) {
                    copies.close();
                }
                copies = CopyDate.begin(tasks, name, spec, version, rerun, timer, () -> stopRequested);
                Map<String, ValidatedStream> jobs = validateAll(spec, copies.date());
                streamingLabels.clear();
                running = spec;
                if (rerun) {
                    jobs.values().forEach(job -> StreamRun.forget(job.spec().name(), job.source(), store));
                    tracker.forgetCopies();
                }
                Map<String, StreamRun> runs = new LinkedHashMap<>();
                boolean stopWhenStreaming = rerun && mode == Mode.RERUN_THEN_STOP;
                jobs.forEach((label, job) -> runs.put(label, streams.create(job, new Observer(label, stopWhenStreaming),
                        !spec.realtime())));
                tracker.starting(version, spec.kind(), spec.realtime(), runs);
                currentLabels = Set.copyOf(runs.keySet());
                current = List.copyOf(runs.values());
                saveStatus();
                if (stopRequested) {
                    current.forEach(StreamRun::stop);
                }
                Map<String, JobReport> reports = runAll(runs);
                String restart = restartFor;
                restartFor = null;
                boolean allStopped = reports.values().stream().allMatch(r -> r.status() == JobStatus.STOPPED);
                if (allStopped && restart != null && !stopRequested && lostLease == null) {
                    rerun = restart.equals("rerun");
                    continue;
                }
                Map.Entry<String, JobReport> failed = reports.entrySet().stream()
                        .filter(e -> e.getValue().status() != JobStatus.STOPPED && e.getValue().status() != JobStatus.SUCCESS)
                        .findFirst().orElse(null);
                JobReport report = failed != null ? failed.getValue() : reports.values().iterator().next();
                outcome = switch (report.status()) {
                    case SUCCESS -> TaskState.SUCCESS;
                    case STOPPED -> lostLease == null ? TaskState.STOPPED : TaskState.FAILED;
                    default -> TaskState.FAILED;
                };
                error = lostLease != null ? lostLease : report.error() == null ? null
                        : (failed == null || failed.getKey().isEmpty() ? "" : failed.getKey() + ": ") + taskError(report);
                if (outcome == TaskState.SUCCESS) {
                    copies.completed();
                    tracker.copiedAll();
                    tasks.recordSuccessfulTables(name, tracker.tables());
                }
                break;
            }
        } catch (CancelledException e) {
            if (stopRequested) {
                outcome = TaskState.STOPPED; // stopped while waiting for its Business Date
                LOG.info("Task '{}': {}", name, e.getMessage());
            } else {
                LOG.error("Task '{}' failed: {}", name, e.getMessage(), e);
                error = e.getMessage();
            }
        } catch (RuntimeException e) {
            LOG.error("Task '{}' failed: {}", name, e.getMessage(), e);
            error = e.getMessage();
        } finally {
            ticking.cancel(false);
            if (copies != null) {
                copies.close();
            }
            tracker.ended(outcome, error);
            try {
                saveStatus();
            } finally {
                TaskStatus last = tracker.status();
                try {
                    tasks.recordRun(name, new TaskRunRecord(last.version(), holder, startedAt, tasks.now(),
                            last.status(), last.error()));
                } catch (RuntimeException e) {
                    LOG.warn("Task '{}': the run could not be added to its history: {}", name, e.getMessage());
                }
                tasks.release(name, holder);
                LOG.info("Task '{}' {}{}", name, last.status(), last.error() == null ? "" : ": " + last.error());
                completion.complete(last);
            }
        }
    }

    /** Every streaming job of the task, checked, by label; nothing stays open when one is invalid. */
    private Map<String, ValidatedStream> validateAll(TaskSpec spec, LocalDate baseDate) {
        Map<String, ValidatedStream> jobs = new LinkedHashMap<>();
        try {
            TaskJobs.streams(spec, baseDate).forEach((label, job) -> jobs.put(label, streams.validate(job)));
            return jobs;
        } catch (RuntimeException e) {
            jobs.values().forEach(job -> {
                job.source().close();
                job.target().close();
            });
            throw e;
        }
    }

    /**
     * Runs the streams, one on this thread, several on threads of their own; one that fails stops
     * the others (a task fails as a whole).
     */
    private Map<String, JobReport> runAll(Map<String, StreamRun> runs) {
        if (runs.size() == 1) {
            StreamRun only = runs.values().iterator().next();
            only.run();
            return Map.of(runs.keySet().iterator().next(), only.completion().join());
        }
        List<Thread> threads = new ArrayList<>();
        runs.forEach((label, run) -> {
            run.completion().thenAccept(report -> {
                if (report.status() != JobStatus.STOPPED && report.status() != JobStatus.SUCCESS) {
                    runs.values().forEach(StreamRun::stop);
                }
            });
            Thread thread = new Thread(run, "ferry-task-" + name + "-" + label);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        });
        Map<String, JobReport> reports = new LinkedHashMap<>();
        runs.forEach((label, run) -> reports.put(label, run.completion().join()));
        return reports;
    }

    /**
     * A stream error as the task reports it: a lost log position (a purged binlog, a dropped slot)
     * says to rerun the task rather than how to restart a stream job by hand.
     */
    String taskError(JobReport report) {
        String lost = report.stream() == null ? null : report.stream().positionLost();
        if (lost == null) {
            return report.error();
        }
        return lost + " Every table must be copied again: run `sync.jar task rerun " + name + "` (or Tasks.rerun), "
                + "which re-migrates the tables, copies them and streams from a new position.";
    }

    private void tick() {
        try {
            tasks.renew(name, holder, LEASE_TTL);
        } catch (SyncException e) {
            lostLease = e.getMessage();
            LOG.error("Task '{}': {}", name, e.getMessage());
            current.forEach(StreamRun::stop);
            return;
        } catch (RuntimeException e) {
            LOG.warn("Task '{}': renewing the lease failed ({}); trying again in {} ms", name, e.getMessage(), TICK_MILLIS);
        }
        try {
            Optional<TaskStore.Request> request = tasks.accept(name);
            request.ifPresent(r -> {
                LOG.info("Task '{}': accepted a {} request from another process", name, r.operation());
                switch (r.operation()) {
                    case "stop" -> stop();
                    case "edit" -> edit();
                    case "rerun" -> rerun();
                    default -> {
                        if (r.operation().startsWith(MERGE_REQUEST)) {
                            merge(LocalDate.parse(r.operation().substring(MERGE_REQUEST.length())));
                        } else if (r.operation().startsWith(BACKFILL_REQUEST)) {
                            Backfill.Request backfill = Backfill.Request.parse(r.operation());
                            backfill(backfill.date(), backfill.tables());
                        } else {
                            LOG.warn("Task '{}': unknown request '{}' ignored", name, r.operation());
                        }
                    }
                }
            });
            mergeWhenDue();
            saveStatus();
        } catch (RuntimeException e) {
            LOG.warn("Task '{}': reading requests or saving the status failed: {}", name, e.getMessage());
        }
    }

    /** The request that asks a runner to backfill a date: {@code backfill:YYYY-MM-DD:t1,t2}. */
    public static final String BACKFILL_REQUEST = "backfill:";

    /** Runs a Full Data Backfill of {@code date} on a thread of its own while the stream goes on. */
    public void backfill(LocalDate date, Set<String> tables) {
        aside("backfill", date, spec -> new Backfill(name, tasks, streams, timer).run(spec, date, tables, true));
    }

    /**
     * Runs {@code operation} of {@code date} on a thread of its own while the stream goes on, with
     * the version being run; logs (does not throw) when it fails or the task is not running yet.
     *
     * @return whether it was started
     */
    private boolean aside(String what, LocalDate date, Consumer<TaskSpec> operation) {
        TaskSpec spec = running;
        if (spec == null) {
            LOG.warn("Task '{}': the {} of {} was not started: the task is not running yet", name, what, date);
            return false;
        }
        Thread thread = new Thread(() -> {
            try {
                operation.accept(spec);
            } catch (RuntimeException e) {
                LOG.warn("Task '{}': the {} of {} failed: {}", name, what, date, e.getMessage());
            }
        }, "ferry-" + what + "-" + name + "-" + date);
        thread.setDaemon(true);
        thread.start();
        return true;
    }

    /** The request that asks a runner to merge a date: {@code merge:YYYY-MM-DD}. */
    public static final String MERGE_REQUEST = "merge:";

    /**
     * Runs the Incremental Merge of {@code date} on a thread of its own while the stream goes on;
     * ignored (with a warning) while another merge of this runner runs.
     */
    public void merge(LocalDate date) {
        if (!merging.compareAndSet(false, true)) {
            LOG.warn("Task '{}': the merge of {} was not started: another merge is running", name, date);
            return;
        }
        boolean started = aside("merge", date, spec -> {
            try {
                new IncrementalMerge(name, tasks, store, streams, timer).run(spec, date, true);
            } finally {
                merging.set(false);
            }
        });
        if (!started) {
            merging.set(false);
        }
    }

    /** Starts the merge of the next Business Date when its time has come and its changes are applied. */
    private void mergeWhenDue() {
        TaskSpec spec = running;
        if (spec == null || spec.partitions() == null || merging.get() || stopRequested) {
            return;
        }
        Optional<LocalDate> base = tasks.baseDate(name);
        if (base.isEmpty()) {
            return;
        }
        Instant now = tasks.now();
        MergeSchedule schedule = new MergeSchedule(spec.partitions().partitioning(), spec.partitions().mergeAt());
        LocalDate from = tasks.merges(name, 1).stream().map(MergeInstance::date)
                .filter(d -> !d.isBefore(base.get())).findFirst().orElse(base.get());
        schedule.due(now, from, date -> tasks.merge(name, date), appliedUntil(now))
                .filter(date -> tasks.dateHolder(name, date).isEmpty()) // a backfill of it runs: after it
                .ifPresent(this::merge);
    }

    /** Every change committed before the returned moment is applied by every stream of the task. */
    private Instant appliedUntil(Instant now) {
        Instant until = now;
        for (StreamRun run : current) {
            if (run.savedCheckpoint() == null) {
                return Instant.EPOCH; // still initializing
            }
            Instant applied = now.minusMillis(run.lagMillis());
            until = applied.isBefore(until) ? applied : until;
        }
        return current.isEmpty() ? Instant.EPOCH : until;
    }

    /** Saves the status when it changed since the last save (the timer calls this every second). */
    private synchronized void saveStatus() {
        String json = TaskStatusJson.write(tracker.status());
        if (!json.equals(savedStatus)) {
            tasks.saveStatus(name, json);
            savedStatus = json;
        }
    }

    /** The tracker, plus what the runner itself does as a stream moves. */
    private final class Observer implements StreamObserver {

        private final String label;
        private final StreamObserver tracked;
        private final boolean stopWhenStreaming;
        private final Map<TableId, String> targets = new ConcurrentHashMap<>();

        Observer(String label, boolean stopWhenStreaming) {
            this.label = label;
            this.tracked = tracker.observer(label);
            this.stopWhenStreaming = stopWhenStreaming;
        }

        @Override
        public void prepared(List<TableMapping> tables) {
            tables.forEach(t -> targets.put(t.source(), t.target()));
            tracked.prepared(tables);
            saveStatus();
        }

        @Override
        public void copying(TableId table) {
            tracked.copying(table);
            saveStatus();
        }

        @Override
        public void copied(TableId table, long rows, boolean earlier) {
            String target = targets.get(table);
            if (!earlier && target != null) {
                copies.copied(target);
            }
            tracked.copied(table, rows, earlier);
            saveStatus();
        }

        @Override
        public void streaming(Position from, List<TableId> stillCopying) {
            tracked.streaming(from, stillCopying);
            if (stillCopying.isEmpty()) {
                tasks.recordSuccessfulTables(name, tracker.tables());
                streamingLabels.add(label);
                if (streamingLabels.containsAll(currentLabels)) {
                    copies.completed();
                }
            }
            saveStatus();
            if (stopWhenStreaming && stillCopying.isEmpty()) {
                LOG.info("Task '{}': rerun done; the next start streams from {}", name, from.asText());
                stop();
            }
        }
    }
}
