package dev.ferry.flink;

import dev.ferry.api.PlannedSource;
import dev.ferry.api.PlannedTarget;
import dev.ferry.api.SupportsSplitLedger;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.Violation;
import dev.ferry.api.job.JobMode;
import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.job.RetryPolicy;
import dev.ferry.api.job.Runner;
import dev.ferry.engine.config.JobValidator;
import dev.ferry.engine.runtime.DistributedCopy;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs Ferry batch jobs on Apache Flink: the same job file, the same splits, the same guarantees
 * and the same report as a local run, with the splits read and written by Flink's parallel tasks.
 *
 * <pre>{@code
 * JobReport report = FlinkRunner.builder().remote("flink-jm", 8081).build().run(spec);
 * }</pre>
 *
 * <p>How a job runs: the JobManager plans it once (the source's snapshot and splits, the target's
 * pre-SQL, table and truncation) in the source's enumerator; {@code parallelism} task slots each
 * run a reader, chained to a writer in the same task, so the engine's columnar batches go from
 * reader to writer without being serialised. Each split is written in the target's own transaction
 * and committed when it ends. A task that fails is restarted by Flink (up to
 * {@code settings.retry.maxAttempts} times) when the target records committed splits in a ledger
 * ({@link SupportsSplitLedger}): its unfinished splits are copied again, its committed ones not.
 * Any other failure fails the job, as it would locally. The totals come back in an accumulator and
 * the client builds the {@link JobReport}.
 *
 * <p>Threading: a runner is immutable and may run several jobs at once.
 */
public final class FlinkRunner {

    private final String host;
    private final int port;
    private final Integer parallelism;
    private final Configuration configuration;
    private final List<Path> jars;

    private FlinkRunner(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.parallelism = b.parallelism;
        this.configuration = b.configuration;
        this.jars = List.copyOf(b.jars);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Runs {@code spec} on Flink and waits for its report (a failed job's report says why). */
    public JobReport run(JobSpec spec) {
        return submit(spec).await();
    }

    /**
     * Submits {@code spec} and returns at once.
     *
     * @throws ConfigException when the job cannot run on Flink (a streaming job; a connector that
     *                         cannot attach), naming the key
     */
    public FlinkRun submit(JobSpec spec) {
        boolean ledger = checkRunnable(spec);
        int p = parallelism != null ? parallelism : spec.settings().concurrency();
        StreamExecutionEnvironment env = environment(p, restartStrategy(spec, ledger));
        addPipeline(env, new CopyJob(spec, UUID.randomUUID().toString(), p));
        return execute(env, spec, p);
    }

    /**
     * Submits a copy of tables this process planned and prepared (a task's Full Initialization),
     * which this process commits when the run ends. Their targets write by key, so a failed task is
     * restarted ({@code settings.retry.maxAttempts} times) and its splits written again.
     */
    FlinkRun submitPlanned(JobSpec spec, List<DistributedCopy.PlannedTable> tables) {
        int p = parallelism != null ? parallelism : spec.settings().concurrency();
        CopyJob job = new CopyJob(spec, UUID.randomUUID().toString(), p, tables);
        job.attachable(FlinkRunner.class.getClassLoader());
        StreamExecutionEnvironment env = environment(p, restartStrategy(spec, true));
        addPipeline(env, job);
        return execute(env, spec, p);
    }

    private StreamExecutionEnvironment environment(int p, Configuration restarts) {
        Configuration conf = new Configuration(configuration);
        conf.addAll(restarts);
        return host == null
                ? StreamExecutionEnvironment.createLocalEnvironment(p, conf)
                : StreamExecutionEnvironment.createRemoteEnvironment(host, port, conf,
                jars.stream().map(Path::toString).toArray(String[]::new));
    }

    private FlinkRun execute(StreamExecutionEnvironment env, JobSpec spec, int p) {
        java.time.Instant started = java.time.Instant.now();
        JobClient client;
        try {
            client = env.executeAsync("ferry: " + spec.name());
        } catch (Exception e) {
            throw new dev.ferry.api.error.SyncException(dev.ferry.api.error.ErrorKind.EXTERNAL, "job '" + spec.name()
                    + "' could not be submitted to Flink" + (host == null ? "" : " at " + host + ":" + port) + ": "
                    + e.getMessage(), e);
        }
        return new FlinkRun(spec, p, client, started);
    }

    /**
     * Adds the copy of {@code spec} to {@code env}, for an application that builds its own Flink
     * job: a Ferry source, a tap that keeps the totals, and a Ferry sink, chained at
     * {@code parallelism}. After {@code env.execute()}, {@link FlinkRun#report} turns the result
     * into a {@link JobReport}.
     *
     * @throws ConfigException when the job cannot run on Flink, naming the key
     */
    public static void addCopy(StreamExecutionEnvironment env, JobSpec spec, int parallelism) {
        if (!checkRunnable(spec)) {
            env.configure(restartStrategy(spec, false));
        }
        addPipeline(env, new CopyJob(spec, UUID.randomUUID().toString(), parallelism));
    }

    private static void addPipeline(StreamExecutionEnvironment env, CopyJob job) {
        JobSpec spec = job.spec();
        int parallelism = job.parallelism();
        env.fromSource(new CopySource(job), WatermarkStrategy.noWatermarks(), "ferry-read: " + spec.name(),
                        ChunkType.INSTANCE)
                .setParallelism(parallelism)
                .process(new TotalsTap(), ChunkType.INSTANCE).name("ferry-totals").setParallelism(parallelism)
                .sinkTo(new CopySink(job)).name("ferry-write: " + spec.name()).setParallelism(parallelism);
    }

    /**
     * Refuses a job that cannot run on Flink, naming the key: a streaming job, verification, a
     * connector whose source or target cannot be planned here and attached elsewhere.
     *
     * @return whether the target records committed splits in a ledger, so failed tasks may restart
     */
    private static boolean checkRunnable(JobSpec spec) {
        if (spec.mode() != JobMode.BATCH) {
            throw new ConfigException(List.of(new Violation("mode", "must be batch to run on Flink; streaming jobs run "
                    + "locally", "'" + spec.mode().name().toLowerCase(java.util.Locale.ROOT) + "'")));
        }
        if (spec.settings().verify()) {
            throw new ConfigException(List.of(new Violation("settings.verify", "is not supported on Flink yet; run "
                    + "`sync.jar verify JOB.json` after the job", "true")));
        }
        JobValidator validator = new CopyJob(spec, "check", 1).validator(FlinkRunner.class.getClassLoader());
        validator.attachable(spec, CopyJob.RUNNER);
        JobValidator.ValidatedJob validated = validator.validate(spec);
        try {
            List<Violation> violations = new ArrayList<>();
            if (!(validated.source() instanceof PlannedSource)) {
                violations.add(new Violation("source.connector", "must name a source that can be planned on the "
                        + "JobManager and read from its plan in the task managers to run on Flink",
                        "'" + spec.source().connector() + "'"));
            }
            if (!(validated.target() instanceof PlannedTarget)) {
                violations.add(new Violation("target.connector", "must name a target whose writers can be attached in "
                        + "the task managers to run on Flink (a file target publishes its files from the process that "
                        + "prepared it)", "'" + spec.target().connector() + "'"));
            }
            if (!violations.isEmpty()) {
                throw new ConfigException(violations);
            }
            return validated.target() instanceof SupportsSplitLedger;
        } finally {
            validated.source().close();
            validated.target().close();
        }
    }

    /**
     * Flink restarts failed tasks only for a target that records committed splits in a ledger;
     * for any other, a restart could write a split twice, so the first failure fails the job.
     */
    private static Configuration restartStrategy(JobSpec spec, boolean ledger) {
        Configuration conf = new Configuration();
        RetryPolicy retry = spec.settings().retry();
        if (ledger && retry.maxAttempts() > 1) {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, retry.maxAttempts() - 1);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
                    java.time.Duration.ofMillis(retry.backoffMillis()));
        } else {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        }
        return conf;
    }

    /** The jar holding Ferry's classes (and, in {@code sync.jar}, the connectors'), when they come from one. */
    static List<Path> ferryJar() {
        try {
            Path location = Path.of(FlinkRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(location) ? List.of(location) : List.of();
        } catch (URISyntaxException | RuntimeException e) {
            return List.of();
        }
    }

    /** Where and how jobs run. */
    public static final class Builder {

        private String host;
        private int port;
        private Integer parallelism;
        private Configuration configuration = new Configuration();
        private final List<Path> jars = new ArrayList<>(ferryJar());

        private Builder() {
        }

        /** Runs jobs in a Flink MiniCluster started in this process for each job (the default). */
        public Builder local() {
            this.host = null;
            return this;
        }

        /**
         * Submits jobs to a running Flink cluster through its REST endpoint (the JobManager's
         * {@code rest.address} and {@code rest.port}), shipping the jar Ferry was loaded from.
         */
        public Builder remote(String restHost, int restPort) {
            Objects.requireNonNull(restHost, "restHost");
            if (restPort < 1 || restPort > 65535) {
                throw new IllegalArgumentException("the Flink REST port must be between 1 and 65535, got " + restPort);
            }
            this.host = restHost;
            this.port = restPort;
            return this;
        }

        /** Runs jobs where {@code runner} says: {@link #remote} for {@code flink}, else {@link #local}. */
        public Builder on(Runner runner) {
            return runner.kind() == Runner.Kind.FLINK ? remote(runner.host(), runner.port()) : local();
        }

        /** Parallel readers and writers; by default the job's {@code settings.concurrency}. */
        public Builder parallelism(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("parallelism must be >= 1, got " + value);
            }
            this.parallelism = value;
            return this;
        }

        /** Flink options for the jobs (a MiniCluster's task slots, the client's timeouts, ...). */
        public Builder configuration(Configuration value) {
            this.configuration = new Configuration(Objects.requireNonNull(value, "configuration"));
            return this;
        }

        /** Further jars the cluster needs for the job (connectors not in the jar Ferry came from). */
        public Builder jar(Path jar) {
            jars.add(Objects.requireNonNull(jar, "jar"));
            return this;
        }

        public FlinkRunner build() {
            return new FlinkRunner(this);
        }
    }
}
