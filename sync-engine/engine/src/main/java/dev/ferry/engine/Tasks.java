package dev.ferry.engine;

import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.error.Violation;
import dev.ferry.api.job.JobReport;
import dev.ferry.api.state.StateStore;
import dev.ferry.api.task.MergeInstance;
import dev.ferry.api.task.StageState;
import dev.ferry.api.task.StageStatus;
import dev.ferry.api.task.TableStatus;
import dev.ferry.api.task.TaskSpec;
import dev.ferry.api.task.TaskState;
import dev.ferry.api.task.TaskStatus;
import dev.ferry.engine.task.Backfill;
import dev.ferry.engine.task.IncrementalMerge;
import dev.ferry.engine.task.TaskRun;
import dev.ferry.engine.task.TaskStatusJson;
import dev.ferry.engine.task.TaskStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Whole-database sync tasks: start, stop, edit, rerun and status, the same whether the task runs in
 * this process, in another process sharing the engine's {@link StateStore}, or nowhere.
 *
 * <pre>{@code
 * try (SyncEngine engine = SyncEngine.builder().stateStore(JdbcStateStore.open("state")).build()) {
 *     TaskHandle shop = engine.tasks().start(Path.of("shop.json"));
 *     // … later, from any thread or process sharing the state store:
 *     engine.tasks().edit(Path.of("shop.json"));   // tables added or removed
 *     shop.stop();
 * }
 * }</pre>
 *
 * <p>Operations on a task run by another process are requests its runner takes on within about a
 * second; the methods return once it has. Each committed task file is kept as a version; a runner
 * works on the current one.
 *
 * <p>Threading: safe for concurrent use.
 */
public final class Tasks {

    /** How long an operation waits for another process's runner to take a request on. */
    static final Duration ACCEPT_TIMEOUT = Duration.ofSeconds(30);

    private final SyncEngine engine;
    private final TaskStore store;
    private final StateStore stateStore;
    private final TaskRun.Streams streams;
    private final Ticker ticker;
    private final Map<String, TaskRun> local = new ConcurrentHashMap<>();

    Tasks(SyncEngine engine, StateStore stateStore, Ticker ticker, TaskRun.Streams streams) {
        this.engine = engine;
        this.stateStore = stateStore;
        this.ticker = ticker;
        this.store = new TaskStore(stateStore, ticker);
        this.streams = streams;
    }

    /** Reads, checks and starts a task file; see {@link #start(String)}. */
    public TaskHandle start(Path taskFile) {
        return start(read(taskFile));
    }

    /**
     * Checks the task completely, commits it as the task's new version (an unchanged file commits
     * nothing), takes the task's lease and runs it on its own thread: Schema Migration, Full
     * Initialization, then Real-time Synchronization until stopped.
     *
     * @throws ConfigException listing every problem of the file; nothing was committed then
     * @throws SyncException   naming the runner when another holds the task
     */
    public TaskHandle start(String taskJson) {
        TaskSpec spec = check(taskJson);
        String holder = TaskStore.holderName();
        takeLease(spec.name(), holder);
        int version;
        try {
            version = store.commit(spec.name(), taskJson);
        } catch (RuntimeException e) {
            store.release(spec.name(), holder);
            throw e;
        }
        org.slf4j.LoggerFactory.getLogger(Tasks.class).info("Task '{}' version {} starting", spec.name(), version);
        TaskRun run = runner(spec.name(), holder, TaskRun.Mode.RUN);
        Thread driver = new Thread(() -> {
            try {
                run.run();
            } finally {
                local.remove(spec.name(), run);
            }
        }, "ferry-task-" + spec.name());
        driver.setDaemon(true);
        driver.start();
        return run;
    }

    /** Reads and commits a task file as the task's new version; see {@link #edit(String)}. */
    public int edit(Path taskFile) {
        return edit(read(taskFile));
    }

    /**
     * Commits a new version of a task (tables added or removed, settings changed) and returns its
     * number. A running task applies it at once: added tables get Schema Migration and Full
     * Initialization and then stream from where their copy began; removed tables stop being
     * synchronized and keep their target rows. A task nobody runs applies it at its next start.
     *
     * @throws ConfigException listing every problem of the file, or when the task was never started
     */
    public int edit(String taskJson) {
        TaskSpec spec = check(taskJson);
        if (store.currentVersion(spec.name()) == 0) {
            throw new ConfigException("task", List.of(new Violation("name", "must name a task that was started before "
                    + "(task start commits its first version)", "'" + spec.name() + "'")));
        }
        int version = store.commit(spec.name(), taskJson);
        TaskRun run = runningHere(spec.name());
        if (run != null) {
            run.edit();
        } else if (store.liveLease(spec.name()).isPresent()) {
            requestAndWait(spec.name(), "edit");
        }
        return version;
    }

    /**
     * Stops a task: its runner, here or in another process, checkpoints and releases it within
     * seconds. Returns false when nobody was running it.
     */
    public boolean stop(String name) {
        TaskRun run = runningHere(name);
        if (run != null) {
            run.stop();
            return true;
        }
        if (store.liveLease(name).isEmpty()) {
            return false;
        }
        requestAndWait(name, "stop");
        return true;
    }

    /**
     * Re-migrates a task: adds the target columns that are missing, copies every table again and
     * streams from a new position; for a corrupt target or a purged log. A running task does it in
     * place and this returns once its runner has taken the request on (empty then); a task nobody
     * runs is rerun here, in the foreground, and stops when the copy is done (its final status is
     * returned), the next start streaming from the rerun's position.
     *
     * @throws ConfigException when the task cannot be rerun (a sharded source) or was never started
     * @throws SyncException   when the task's target is partitioned and another merge or backfill
     *                         writes today's Business Date, whose partitions a rerun writes
     */
    public Optional<TaskStatus> rerun(String name) {
        return rerun(name, false);
    }

    /**
     * As {@link #rerun(String)}; with {@code wait}, a rerun of a partitioned task whose Business
     * Date another merge or backfill writes is not refused: its copy waits for that operation.
     */
    public Optional<TaskStatus> rerun(String name, boolean wait) {
        TaskSpec spec = currentSpec(name);
        if (spec.isSharded()) {
            throw new ConfigException("task", List.of(new Violation("task", "cannot be rerun: its source is sharded, and a rerun of "
                    + "sharded sources is not available (stop the task, empty the target tables and start it under a new "
                    + "name instead)", "'" + name + "'")));
        }
        if (spec.partitions() != null && !wait) {
            store.requireDateFree(name, spec.partitions().partitioning().dateOf(store.now()));
        }
        return byRunnerOrHere(name, TaskRun::rerun, "rerun", () -> {
            String holder = TaskStore.holderName();
            takeLease(name, holder);
            TaskRun foreground = runner(name, holder, TaskRun.Mode.RERUN_THEN_STOP);
            try {
                foreground.run();
            } finally {
                local.remove(name, foreground);
            }
            return foreground.completion().join();
        });
    }

    /**
     * Runs the Incremental Merge of one Business Date by hand (a missed night, a test): builds
     * {@code date}'s partition of every table from the partition before it and the day's change log.
     * A running task's runner does it and this returns once the runner has taken the request on
     * (empty then); a task nobody runs is merged here, in the foreground, and the merge is returned.
     *
     * @throws ConfigException when the target is not partitioned or the task never started
     * @throws SyncException   when another merge, backfill or rerun writes the same date, or the
     *                         partition to build on is missing (naming the date to merge first)
     */
    public Optional<MergeInstance> merge(String name, LocalDate date) {
        return merge(name, date, false);
    }

    /**
     * As {@link #merge(String, LocalDate)}; with {@code wait}, a merge of a date that another
     * operation writes is not refused: it waits for that operation and then builds on its result.
     */
    public Optional<MergeInstance> merge(String name, LocalDate date, boolean wait) {
        TaskSpec spec = currentSpec(name);
        IncrementalMerge.check(spec);
        if (!wait) {
            store.requireDateFree(name, date);
        }
        return byRunnerOrHere(name, run -> run.merge(date), TaskRun.MERGE_REQUEST + date,
                () -> new IncrementalMerge(name, store, stateStore, streams, engine.timer()).run(spec, date, wait));
    }

    /**
     * Runs a Full Data Backfill: copies the source's current rows of {@code tables} (every table of
     * the task when empty) into {@code date}'s partitions, each replaced atomically; the next merge
     * builds the day after on it. A running task's runner does it and this returns once the runner
     * has taken the request on (empty then); a task nobody runs is backfilled here, in the foreground.
     *
     * @throws ConfigException when the target is not partitioned, the source is sharded, or a table
     *                         is not one of the task's
     * @throws SyncException   when another merge, backfill or rerun writes the same date, or the copy fails
     */
    public Optional<JobReport> backfill(String name, LocalDate date, Set<String> tables) {
        return backfill(name, date, tables, false);
    }

    /**
     * As {@link #backfill(String, LocalDate, Set)}; with {@code wait}, a backfill of a date that
     * another operation writes is not refused: it waits for that operation.
     */
    public Optional<JobReport> backfill(String name, LocalDate date, Set<String> tables, boolean wait) {
        TaskSpec spec = currentSpec(name);
        Backfill.check(spec, tables);
        if (!wait) {
            store.requireDateFree(name, date);
        }
        return byRunnerOrHere(name, run -> run.backfill(date, tables), new Backfill.Request(date, tables).operation(),
                () -> new Backfill(name, store, streams, engine.timer()).run(spec, date, tables, wait));
    }

    /**
     * An operation on a task wherever it runs: by its runner in this process, as a request to
     * another process's runner (empty once that runner took it on), or here in the foreground when
     * nobody runs the task (its outcome).
     */
    private <T> Optional<T> byRunnerOrHere(String name, Consumer<TaskRun> local, String request, Supplier<T> here) {
        TaskRun run = runningHere(name);
        if (run != null) {
            local.accept(run);
            return Optional.empty();
        }
        if (store.liveLease(name).isPresent()) {
            requestAndWait(name, request);
            return Optional.empty();
        }
        return Optional.of(here.get());
    }

    /** Whether an operation (a merge, a backfill) writes {@code date} of the task now, in any process. */
    public boolean writing(String name, LocalDate date) {
        return store.dateHolder(name, date).isPresent();
    }

    /** The last Full Data Backfill of {@code date}, if one was recorded (running, done or failed). */
    public Optional<MergeInstance> backfillOf(String name, LocalDate date) {
        return store.backfill(name, date);
    }

    /** The merge of {@code date}, if one was recorded (running, done or failed). */
    public Optional<MergeInstance> mergeOf(String name, LocalDate date) {
        return store.merge(name, date);
    }

    /** Where the task stands: live from a runner in this process, else as its runner last saved it. */
    public Optional<TaskStatus> status(String name) {
        return currentStatus(name).map(status -> withMerges(name, status));
    }

    /** The Incremental Merge stage with the task's recent merges, the latest deciding its status. */
    private TaskStatus withMerges(String name, TaskStatus status) {
        List<MergeInstance> merges = store.merges(name, RECENT_MERGES);
        if (merges.isEmpty()) {
            return status;
        }
        List<StageStatus> stages = new ArrayList<>();
        for (StageStatus stage : status.stages()) {
            stages.add(stage.name() != dev.ferry.api.task.TaskStage.INCREMENTAL_MERGE ? stage : new StageStatus(stage.name(),
                    merges.get(0).status(), stage.lagMillis(), stage.position(), stage.tables(), merges));
        }
        return new TaskStatus(status.name(), status.version(), status.status(), status.error(), stages);
    }

    /** How many merges a status lists. */
    static final int RECENT_MERGES = 7;

    private Optional<TaskStatus> currentStatus(String name) {
        TaskRun run = local.get(name);
        if (run != null) {
            return Optional.of(run.status());
        }
        Optional<TaskStatus> saved = store.status(name).map(TaskStatusJson::read);
        if (saved.isPresent() && saved.get().status() == TaskState.RUNNING && store.liveLease(name).isEmpty()) {
            return Optional.of(runnerGone(saved.get()));
        }
        if (saved.isEmpty() && store.currentVersion(name) > 0) {
            // A runner that has just taken the task runs it before it saves its first status.
            TaskState state = store.liveLease(name).isPresent() ? TaskState.RUNNING : TaskState.STOPPED;
            return Optional.of(new TaskStatus(name, store.currentVersion(name), state, null, List.of()));
        }
        return saved;
    }

    /** The task's finished runs, oldest first (a runner killed with kill -9 leaves none). */
    public List<dev.ferry.api.task.TaskRunRecord> history(String name) {
        return store.runs(name);
    }

    /** Every task committed to the state store, sorted by name. */
    public List<String> names() {
        return store.tasks();
    }

    /** Stops every task this process runs and waits for their runners to end (the engine closes). */
    void stopAll() {
        List<TaskRun> runs = new ArrayList<>(local.values());
        runs.forEach(TaskRun::stop);
        runs.forEach(run -> run.completion().join());
    }

    /** The task's runner, if it runs in this process. */
    public Optional<TaskHandle> running(String name) {
        return Optional.ofNullable(runningHere(name));
    }

    /**
     * The runner of the task in this process, or null. A runner whose run has completed is no
     * longer one, even in the moment before its thread forgets it.
     */
    private TaskRun runningHere(String name) {
        TaskRun run = local.get(name);
        return run == null || run.completion().isDone() ? null : run;
    }

    /** A RUNNING status whose runner stopped renewing its lease (killed): the task is stopped. */
    private static TaskStatus runnerGone(TaskStatus saved) {
        List<StageStatus> stages = new ArrayList<>();
        for (StageStatus stage : saved.stages()) {
            List<TableStatus> tables = stage.tables().stream().map(t -> t.status() != StageState.RUNNING ? t
                    : new TableStatus(t.table(), StageState.PENDING, t.records(), t.inserts(), t.updates(), t.deletes()))
                    .toList();
            stages.add(new StageStatus(stage.name(), stage.status() == StageState.RUNNING ? StageState.PENDING
                    : stage.status(), null, stage.position(), tables));
        }
        return new TaskStatus(saved.name(), saved.version(), TaskState.STOPPED, null, stages);
    }

    /**
     * Takes the task's lease for {@code holder}. A lease still there belonged to a runner that ended
     * without letting go (killed, or its host lost): its run goes into the history as such.
     */
    private void takeLease(String name, String holder) {
        Optional<TaskStore.Lease> before = store.lease(name);
        store.acquire(name, holder, TaskRun.LEASE_TTL);
        before.filter(lease -> !lease.holder().equals(holder)).ifPresent(lease -> {
            java.time.Instant lastRenewed = lease.expires().minus(TaskRun.LEASE_TTL);
            store.recordRun(name, new dev.ferry.api.task.TaskRunRecord(store.currentVersion(name), lease.holder(),
                    lease.since(), lastRenewed.isBefore(lease.since()) ? lease.since() : lastRenewed, TaskState.STOPPED,
                    "the runner ended without letting go of the task (killed?); its lease was taken over by " + holder));
        });
    }

    /** A runner of a task whose lease {@code holder} holds, known to this process until it ends. */
    private TaskRun runner(String name, String holder, TaskRun.Mode mode) {
        TaskRun run = new TaskRun(name, store, stateStore, engine::parseTask, streams, engine.timer(), holder, mode);
        local.put(name, run);
        return run;
    }

    /** Asks another process's runner for {@code operation} and waits until it has taken it on. */
    private void requestAndWait(String name, String operation) {
        TaskStore.Request request = store.request(name, operation);
        long deadline = ticker.nanoTime() + ACCEPT_TIMEOUT.toNanos();
        while (true) {
            Optional<TaskStore.Request> latest = store.latestRequest(name);
            if (latest.isEmpty() || !latest.get().id().equals(request.id()) || latest.get().accepted() != null) {
                return;
            }
            if (store.liveLease(name).isEmpty()) {
                store.withdraw(name, request.id());
                throw new SyncException(ErrorKind.CONFIGURATION, "task '" + name + "' stopped running before its runner "
                        + "took the " + operation + " request on; run the operation again");
            }
            if (ticker.nanoTime() > deadline) {
                store.withdraw(name, request.id());
                throw new SyncException(ErrorKind.EXTERNAL, "the runner of task '" + name + "' ("
                        + store.liveLease(name).map(TaskStore.Lease::holder).orElse("?") + ") did not take the " + operation
                        + " request on within " + ACCEPT_TIMEOUT.toSeconds() + " s; is it stuck? Its lease expires unless "
                        + "it renews it");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new dev.ferry.api.error.CancelledException("interrupted while waiting for task '" + name + "'");
            }
        }
    }

    private TaskSpec currentSpec(String name) {
        int version = store.currentVersion(name);
        if (version == 0) {
            throw new ConfigException("task", List.of(new Violation("task", "must name a task that was started before "
                    + "(known: " + store.tasks() + ")", "'" + name + "'")));
        }
        return engine.parseTask(store.version(name, version).orElseThrow());
    }

    /** Parses and checks a task completely (its stream job included), opening nothing. */
    private TaskSpec check(String taskJson) {
        TaskSpec spec = engine.parseTask(taskJson);
        try {
            for (dev.ferry.api.job.JobSpec job : dev.ferry.engine.task.TaskJobs.streams(spec,
                    java.time.LocalDate.ofInstant(ticker.now(), java.time.ZoneOffset.UTC)).values()) {
                dev.ferry.engine.config.JobValidator.ValidatedStream stream = streams.validate(job);
                stream.source().close();
                stream.target().close();
            }
        } catch (ConfigException e) {
            throw new ConfigException("task", e.violations());
        }
        return spec;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException("task", List.of(new Violation("task file", "must be readable (" + e.getMessage()
                    + ")", "'" + file + "'")));
        }
    }
}
