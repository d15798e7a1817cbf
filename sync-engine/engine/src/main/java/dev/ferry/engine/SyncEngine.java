package dev.ferry.engine;

import dev.ferry.api.ConnectorFactory;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.Violation;
import dev.ferry.api.job.JobListener;
import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.JobSettings;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.verify.VerifyReport;
import dev.ferry.engine.verify.Verification;
import dev.ferry.api.state.StateStore;
import dev.ferry.engine.config.ConnectorCatalog;
import dev.ferry.engine.config.JobFileParser;
import dev.ferry.engine.config.JobValidator;
import dev.ferry.engine.config.TaskFileParser;
import dev.ferry.api.task.TaskSpec;
import dev.ferry.engine.state.InMemoryStateStore;
import dev.ferry.engine.runtime.DistributedCopy;
import dev.ferry.engine.runtime.JobRun;
import dev.ferry.engine.runtime.StreamObserver;
import dev.ferry.engine.runtime.StreamRun;
import dev.ferry.api.change.TableId;
import java.time.LocalDate;
import dev.ferry.engine.runtime.PartitionCopyRun;
import dev.ferry.engine.task.TaskRun;
import dev.ferry.api.job.JobMode;
import dev.ferry.engine.runtime.ResourceGroup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ferry's entry point: runs batch jobs in this JVM. The CLI is a thin shell around it.
 *
 * <pre>{@code
 * try (SyncEngine engine = SyncEngine.builder().build()) {
 *     JobReport report = engine.newJob("orders-copy")
 *             .source("csv", Map.of("path", "orders/*.csv"))
 *             .target("jsonl", Map.of("path", "out/orders.jsonl"))
 *             .concurrency(4)
 *             .run();
 * }
 * }</pre>
 *
 * <p>Lifecycle: build once, submit any number of jobs, {@link #close()} at the end, which cancels
 * jobs still running and stops the engine's threads. Jobs share the engine's resource groups;
 * each job has its own counters, threads and dirty-data store.
 *
 * <p>Threading: safe for concurrent use.
 */
public final class SyncEngine implements AutoCloseable {

    /** Slots of the {@code default} resource group when the builder does not set it. */
    public static final int DEFAULT_GROUP_SLOTS = 16;

    private final ConnectorCatalog catalog;
    /** Where connectors and runners are found. */
    private final ClassLoader classLoader;
    private final Map<String, ResourceGroup> groups;
    private final List<JobListener> listeners;
    private final Ticker ticker;
    private final StateStore stateStore;
    private final JobValidator validator;
    private final JobFileParser parser = new JobFileParser();
    private final TaskFileParser taskParser = new TaskFileParser();
    private final ExecutorService drivers;
    private final ScheduledExecutorService timer;
    private final Set<JobHandle> running = ConcurrentHashMap.newKeySet();
    private final Tasks tasks;
    private volatile boolean closed;

    private SyncEngine(Builder b) {
        this.catalog = ConnectorCatalog.discover(b.classLoader, b.connectors);
        this.classLoader = b.classLoader;
        Map<String, ResourceGroup> g = new LinkedHashMap<>();
        b.groups.forEach((name, slots) -> g.put(name, new ResourceGroup(name, slots)));
        g.putIfAbsent(JobSettings.DEFAULT_RESOURCE_GROUP,
                new ResourceGroup(JobSettings.DEFAULT_RESOURCE_GROUP, DEFAULT_GROUP_SLOTS));
        this.groups = Map.copyOf(g);
        this.listeners = List.copyOf(b.listeners);
        this.ticker = b.ticker == null ? Ticker.system() : b.ticker;
        this.stateStore = b.stateStore == null ? new InMemoryStateStore() : b.stateStore;
        this.validator = new JobValidator(catalog, g.keySet());
        AtomicInteger driverCount = new AtomicInteger();
        this.drivers = Executors.newCachedThreadPool(r -> daemon(r, "ferry-job-" + driverCount.getAndIncrement()));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "ferry-progress"));
        this.tasks = new Tasks(this, stateStore, ticker, new TaskRun.Streams() {
            @Override
            public JobValidator.ValidatedStream validate(JobSpec job) {
                return validator.validateStream(job);
            }

            @Override
            public StreamRun create(JobValidator.ValidatedStream job, StreamObserver observer, boolean copyOnly) {
                return new StreamRun(job, groups.get(job.spec().settings().resourceGroup()), listeners, SyncEngine.this.ticker,
                        SyncEngine.this.stateStore, timer, observer, copyOnly);
            }

            @Override
            public PartitionCopyRun backfill(JobValidator.ValidatedStream job, String name, LocalDate date,
                                             Set<TableId> tables) {
                return new PartitionCopyRun(name, job, date, tables, groups.get(job.spec().settings().resourceGroup()),
                        listeners, SyncEngine.this.ticker, SyncEngine.this.stateStore, timer);
            }
        });
    }

    /**
     * Whole-database sync tasks, kept in this engine's state store (give the builder a durable one,
     * shared by every process that operates the tasks).
     */
    public Tasks tasks() {
        return tasks;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts describing a job fluently; finish with {@link JobBuilder#run()} or {@link JobBuilder#submit()}. */
    public JobBuilder newJob(String name) {
        return new JobBuilder(this, name);
    }

    /**
     * Reads a JSON job file. A broken file's problems are reported together with its connector
     * blocks' problems; a file that parses still gets its full check in {@link #submit}.
     *
     * @throws ConfigException listing every problem
     */
    public JobSpec parseJob(Path file) {
        return specOrThrow(parser.read(file));
    }

    /** Reads JSON job text; see {@link #parseJob(Path)}. @throws ConfigException listing every problem */
    public JobSpec parseJob(String json) {
        return specOrThrow(parser.read(json));
    }

    /**
     * Reads a JSON task file and checks its connector blocks against the connectors; nothing is
     * opened.
     *
     * @throws ConfigException listing every problem
     */
    public TaskSpec parseTask(Path file) {
        return taskOrThrow(taskParser.read(file));
    }

    /** Reads JSON task text; see {@link #parseTask(Path)}. @throws ConfigException listing every problem */
    public TaskSpec parseTask(String json) {
        return taskOrThrow(taskParser.read(json));
    }

    private TaskSpec taskOrThrow(TaskFileParser.Result result) {
        List<Violation> all = new ArrayList<>(result.violations());
        all.addAll(validator.taskConnectorViolations(result.source(), result.target(), result.sharded()));
        if (!all.isEmpty()) {
            throw new ConfigException("task", all);
        }
        return result.spec();
    }

    private JobSpec specOrThrow(JobFileParser.Result result) {
        if (result.violations().isEmpty()) {
            return result.spec();
        }
        List<Violation> all = new ArrayList<>(result.violations());
        all.addAll(validator.connectorViolations(result.source(), result.target(), result.mode()));
        throw new ConfigException(all);
    }

    /**
     * Checks a job completely without running it or opening any connection.
     *
     * @throws ConfigException listing every problem
     */
    public void validate(JobSpec spec) {
        if (spec.mode() == JobMode.STREAM) {
            JobValidator.ValidatedStream stream = validator.validateStream(spec);
            stream.source().close();
            stream.target().close();
            return;
        }
        JobValidator.ValidatedJob job = validator.validate(spec);
        job.source().close();
        job.target().close();
    }

    /**
     * Validates the job and starts it on the engine's threads.
     *
     * @throws ConfigException when the job is invalid; nothing was started then
     */
    public JobHandle submit(JobSpec spec) {
        return submit(spec, false);
    }

    /**
     * Validates the job and starts it on the engine's threads, keeping its progress in the engine's
     * {@linkplain Builder#stateStore state store} (what {@code run JOB.json --state STATE} does): a
     * batch job's plan and, through the target, each split it commits, so that submitting the same
     * job again after a crash, a kill or a failure copies only the splits that did not finish, with
     * no duplicates and no gaps. The report's {@code recordsWritten} counts what this run wrote and
     * {@code resumedSplits}/{@code resumedRecords} what it took over. When the job succeeds its
     * progress is removed, so the next submission is a new, full run. A kept plan made for another
     * source table, query, split column, target table or write mode fails the run naming what
     * changed; the concurrency may change. A stream keeps its plan and checkpoints in the state
     * store either way.
     *
     * @throws ConfigException when the job is invalid, or its source cannot read kept splits again
     *                         ({@link dev.ferry.api.SupportsSplitResume}) or its target cannot
     *                         record splits in their own commits ({@link dev.ferry.api.SupportsSplitLedger});
     *                         nothing was started then
     */
    public JobHandle submitResumable(JobSpec spec) {
        return submit(spec, true);
    }

    /** {@link #submitResumable} and wait for the report. */
    public JobReport runResumable(JobSpec spec) {
        return submitResumable(spec).await();
    }

    private JobHandle submit(JobSpec spec, boolean resumable) {
        Objects.requireNonNull(spec, "spec");
        if (closed) {
            throw new IllegalStateException("the engine is closed");
        }
        ResourceGroup group = groups.get(spec.settings().resourceGroup());
        JobHandle run;
        Runnable driver;
        if (spec.mode() == JobMode.BATCH && spec.settings().runner().isFlink()) {
            if (resumable) {
                throw new ConfigException(List.of(new Violation("settings.runner", "must be local for a job run with "
                        + "its progress kept (--state); on Flink, failed tasks redo only their unfinished splits",
                        "'" + spec.settings().runner().kind().key() + "'")));
            }
            run = DistributedCopy.find(spec.settings().runner(), classLoader).submit(spec);
            running.add(run);
            run.completion().whenComplete((report, error) -> running.remove(run));
            return run;
        }
        if (spec.mode() == JobMode.STREAM) {
            StreamRun stream = new StreamRun(validator.validateStream(spec), group, listeners, ticker, stateStore, timer);
            run = stream;
            driver = stream;
        } else {
            JobRun job = new JobRun(validator.validate(spec), resumable, group, listeners, ticker, stateStore, timer);
            run = job;
            driver = job;
        }
        running.add(run);
        run.completion().whenComplete((report, error) -> running.remove(run));
        drivers.execute(driver);
        return run;
    }

    /**
     * Compares the target of a batch job with its source, split by split (the copy's splits),
     * without writing anything, on the calling thread.
     *
     * @param detailLimit differing keys to name per differing split (0: none)
     * @throws ConfigException when the job is invalid, a stream, or its target cannot be read back
     */
    public VerifyReport verify(JobSpec spec, int detailLimit) {
        Objects.requireNonNull(spec, "spec");
        if (spec.mode() == JobMode.STREAM) {
            throw new ConfigException(new Violation("mode", "must be \"batch\" to verify (a stream's target keeps "
                    + "changing)", "\"stream\""));
        }
        return Verification.verifyJob(validator.validate(spec), stateStore, detailLimit);
    }

    /** Validates and runs the job, waiting for its report. @throws ConfigException when invalid */
    public JobReport run(JobSpec spec) {
        return submit(spec).await();
    }

    /** Every connector this engine knows, sorted by name. */
    public List<ConnectorFactory> connectors() {
        return catalog.all();
    }

    /** Cancels running jobs, waits for them to end, and stops the engine's threads. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        tasks.stopAll();
        List<JobHandle> jobs = new ArrayList<>(running);
        jobs.forEach(JobHandle::cancel);
        jobs.forEach(job -> job.completion().join());
        drivers.shutdownNow();
        timer.shutdownNow();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread thread = new Thread(r, name);
        thread.setDaemon(true);
        return thread;
    }

    /**
     * Configures a {@link SyncEngine}. Every option may be set once; setting one twice fails with
     * a message naming it.
     */
    public static final class Builder {

        private final Map<String, Integer> groups = new LinkedHashMap<>();
        private final List<JobListener> listeners = new ArrayList<>();
        private final List<ConnectorFactory> connectors = new ArrayList<>();
        private Ticker ticker;
        private StateStore stateStore;
        private ClassLoader classLoader = SyncEngine.class.getClassLoader();
        private boolean classLoaderSet;

        private Builder() {
        }

        /** Defines a resource group with {@code slots} concurrency slots; {@code default} has {@value SyncEngine#DEFAULT_GROUP_SLOTS} unless defined here. */
        public Builder resourceGroup(String name, int slots) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("resource group name must not be blank");
            }
            if (slots < 1) {
                throw new IllegalArgumentException("resource group '" + name + "' slots must be >= 1, got " + slots);
            }
            if (groups.putIfAbsent(name, slots) != null) {
                throw new IllegalStateException("resource group '" + name + "' was already defined");
            }
            return this;
        }

        /** Adds a listener for every job's events. */
        public Builder listener(JobListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Registers a connector in addition to those found with {@link java.util.ServiceLoader}. */
        public Builder connector(ConnectorFactory factory) {
            connectors.add(Objects.requireNonNull(factory, "factory"));
            return this;
        }

        /** The clock for rate limits, back-off and reports (tests pass a manual one). */
        public Builder ticker(Ticker value) {
            if (ticker != null) {
                throw new IllegalStateException("ticker was already set");
            }
            ticker = Objects.requireNonNull(value, "ticker");
            return this;
        }

        /** Where positions and progress are kept; in memory by default. */
        public Builder stateStore(StateStore value) {
            if (stateStore != null) {
                throw new IllegalStateException("stateStore was already set");
            }
            stateStore = Objects.requireNonNull(value, "stateStore");
            return this;
        }

        /** Where connectors are looked up; the engine's own class loader by default. */
        public Builder classLoader(ClassLoader value) {
            if (classLoaderSet) {
                throw new IllegalStateException("classLoader was already set");
            }
            classLoader = Objects.requireNonNull(value, "classLoader");
            classLoaderSet = true;
            return this;
        }

        public SyncEngine build() {
            return new SyncEngine(this);
        }
    }
}
