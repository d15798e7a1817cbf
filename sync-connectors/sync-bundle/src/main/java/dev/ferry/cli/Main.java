package dev.ferry.cli;

import dev.ferry.api.change.SupportsChangeApply;
import dev.ferry.api.change.SupportsChangeCapture;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.job.JobMode;
import dev.ferry.engine.state.JdbcStateStore;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ferry.api.ConnectorFactory;
import dev.ferry.api.SourceFactory;
import dev.ferry.api.TargetFactory;
import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.job.Runner;
import dev.ferry.api.job.JobStatus;
import dev.ferry.engine.JobHandle;
import dev.ferry.engine.SyncEngine;
import dev.ferry.engine.runtime.ReportJson;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code sync} command line: {@code run}, {@code validate}, {@code verify}, {@code connectors},
 * {@code demo} and {@code task}. {@code run --runner flink|flink-local} runs a batch job on Apache
 * Flink ({@link RunOnFlink}), whose classes {@link FlinkClasses} finds.
 *
 * <p>Exit codes: 0 the job succeeded (or the command did its work), 1 the job failed or was
 * cancelled, 2 the job file or the command line is invalid (the reason is on standard error).
 */
public final class Main {

    static final int OK = 0;
    static final int JOB_FAILED = 1;
    static final int INVALID = 2;

    private static final String USAGE = """
            usage: java -jar sync.jar <command>
              run JOB.json [--report REPORT.json] [--state STATE]
                  [--runner local|flink|flink-local] [--flink-master HOST:PORT]
                                                    run a job; exit 0 on SUCCESS (a stream: STOPPED by Ctrl-C/SIGTERM),
                                                    1 on FAILED/CANCELLED, 2 on an invalid job. STATE (a directory or a
                                                    JDBC URL) keeps a stream's plan and checkpoints across runs, and a
                                                    batch job's plan: run again after a crash, kill or failure, it
                                                    copies only the splits the target did not commit (the target
                                                    records each split in its own commit); a finished job's state is
                                                    removed, so the next run copies everything again.
                                                    --runner: local (default) runs the job in this process; flink
                                                    submits a batch job to the Flink 2.x cluster whose JobManager's
                                                    REST endpoint --flink-master names (e.g. jobmanager:8081);
                                                    flink-local runs it on a Flink MiniCluster in this process. Flink
                                                    is not in sync.jar: set FLINK_HOME to a Flink 2.x distribution, or
                                                    java -cp "sync.jar:$FLINK_HOME/lib/*" dev.ferry.cli.Main run ...
                                                    Ctrl-C cancels the Flink job; --state is not supported on Flink
              validate JOB.json                     check a job file without running it or connecting anywhere
              verify JOB.json [--details] [--max-keys N] [--report REPORT.json]
                                                    compare a batch job's target with its source split by split,
                                                    writing nothing; exit 0 when equal, 1 when not, 2 on an invalid
                                                    job. --details names the differing keys (N per split, default 20)
              connectors [--markdown]               list the connectors and their keys
              demo [batch|task|warehouse] [--rows N] [--concurrency N]
                                                    on embedded databases: copy a table (batch), keep a whole H2
                                                    database in sync while an application writes to it (task), and
                                                    in Business-Date partitions of a DuckDB warehouse (warehouse)
              task start TASK.json [--state STATE]  commit the task file as the task's new version and run it in the
                                                    foreground: Schema Migration, Full Initialization, then Real-time
                                                    Synchronization until stopped; exit 0 when stopped, 1 when it fails
              task stop NAME [--state STATE]        the task's runner (in any process) checkpoints and stops
              task edit TASK.json [--state STATE] [--wait]
                                                    commit a new version (tables added or removed); a running task
                                                    applies it at once, a stopped one at its next start
              task rerun NAME [--state STATE] [--wait]
                                                    add missing target columns, copy every table again, then stream
                                                    from the new position (for a corrupt target or a purged log)
              task merge NAME --date YYYY-MM-DD [--state STATE] [--wait]
                                                    a partitioned task's Incremental Merge of one Business Date: its
                                                    partition built from the day before and the day's changes
              task backfill NAME --date YYYY-MM-DD [--tables T1,T2] [--state STATE] [--wait]
                                                    a partitioned task's Full Data Backfill: the source's current rows
                                                    of the tables (all by default) replace one date's partitions
              task status NAME [--json] [--state STATE]
              task list [--state STATE]             STATE: a directory (default ./ferry-state) or a JDBC URL shared by
                                                    every process of the task
                                                    --wait: wait for the outcome; a rerun, merge or backfill of a
                                                    Business Date that another one writes waits for it instead of
                                                    being refused (exit 2)
            """;

    private Main() {
    }

    /**
     * The binlog client logs each connection through java.util.logging at INFO; Ferry's own lines
     * say what a stream does, so the client speaks only for warnings (held here so the setting stays).
     */
    private static final java.util.logging.Logger BINLOG_CLIENT_LOG = java.util.logging.Logger.getLogger(
            "com.github.shyiko.mysql.binlog");

    public static void main(String[] args) {
        BINLOG_CLIENT_LOG.setLevel(java.util.logging.Level.WARNING);
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command and returns its exit code; never calls {@link System#exit}. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            (args.length == 0 ? err : out).print(USAGE);
            return args.length == 0 ? INVALID : OK;
        }
        List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
        try {
            return switch (args[0]) {
                case "run" -> runJob(rest, out, err);
                case "validate" -> validate(rest, out, err);
                case "verify" -> VerifyCommand.run(rest, out, err);
                case "connectors" -> connectors(rest, out, err);
                case "demo" -> Demo.run(rest, out, err);
                case "task" -> TaskCommand.run(rest, out, err);
                default -> usage(err, "unknown command '" + args[0] + "'");
            };
        } catch (UsageException e) {
            return usage(err, e.getMessage());
        }
    }

    private static int runJob(List<String> args, PrintStream out, PrintStream err) {
        String reportPath = option(args, "--report");
        String stateLocation = option(args, "--state");
        String runnerFlag = option(args, "--runner");
        String masterFlag = option(args, "--flink-master");
        RunnerOption runner = RunnerOption.of(runnerFlag, masterFlag);
        String jobFile = single(args, "run needs exactly one job file");
        String asked = "--runner " + runner.name();
        if (runnerFlag == null && masterFlag == null) {
            // Without the flags, the job file's settings.runner says where the job runs.
            Runner fromFile = RunnerOption.ofFile(Path.of(jobFile));
            if (fromFile.isFlink()) {
                runner = new RunnerOption(fromFile);
                asked = "settings.runner '" + fromFile.kind().key() + "'";
            }
        }
        if (runner.onFlink()) {
            if (stateLocation != null) {
                throw new UsageException("--state cannot be used with --runner " + runner.name() + ": the Flink "
                        + "runner keeps no progress across runs, so a failed run cannot be resumed (within a run, "
                        + "Flink copies again only the splits of a failed task that a JDBC target had not "
                        + "committed); run without --state, or with --runner local to resume a crashed or failed "
                        + "run from its committed splits");
            }
            try {
                FlinkClasses.require(asked);
            } catch (FlinkClasses.MissingFlink e) {
                err.println(e.getMessage());
                return INVALID;
            }
            return RunOnFlink.run(jobFile, runner, reportPath, out, err);
        }
        JdbcStateStore state;
        try {
            state = stateLocation == null ? null : JdbcStateStore.open(stateLocation);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return INVALID;
        } catch (SyncException e) {
            err.println("cannot open --state " + stateLocation + ": " + e.getMessage());
            return INVALID;
        }
        SyncEngine.Builder builder = SyncEngine.builder();
        if (state != null) {
            builder.stateStore(state);
        }
        try (state; SyncEngine engine = builder.build()) {
            JobSpec spec;
            JobHandle handle;
            try {
                spec = engine.parseJob(Path.of(jobFile));
                if (spec.mode() == JobMode.STREAM && state == null) {
                    err.println("warning: no --state given: the stream's checkpoints live in memory, so a later run "
                            + "cannot resume where this one stops");
                }
                handle = state != null && spec.mode() == JobMode.BATCH ? engine.submitResumable(spec)
                        : engine.submit(spec);
            } catch (ConfigException e) {
                err.println(e.getMessage());
                return INVALID;
            }
            return foreground(handle::stop, () -> finish(handle.await(), reportPath, out, err), out, err, engine, state);
        }
    }

    /**
     * Waits for a run in the foreground: {@code awaitExitCode} waits for it and returns its exit
     * code. Ctrl-C / SIGTERM calls {@code stop} (a stream or task stops after its last checkpoint, a
     * batch job is cancelled); the signal's hook waits until the run has ended and {@code resources}
     * are closed, then ends the JVM with the run's own exit code (a JVM ending on a signal would
     * otherwise exit with 128 + signal). Resources are closed before that: an embedded state store
     * left open keeps its lock file, which slows the next start.
     */
    static int foreground(Runnable stop, java.util.function.IntSupplier awaitExitCode, PrintStream out, PrintStream err,
                          AutoCloseable... resources) {
        AtomicInteger exitCode = new AtomicInteger(JOB_FAILED);
        CountDownLatch finished = new CountDownLatch(1);
        Thread endOnExit = new Thread(() -> {
            stop.run();
            try {
                if (finished.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    out.flush();
                    err.flush();
                    Runtime.getRuntime().halt(exitCode.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ferry-shutdown");
        Runtime.getRuntime().addShutdownHook(endOnExit);
        int code = awaitExitCode.getAsInt();
        exitCode.set(code);
        for (AutoCloseable resource : resources) {
            if (resource != null) {
                try {
                    resource.close();
                } catch (Exception e) {
                    err.println("closing " + resource.getClass().getSimpleName() + " failed: " + e.getMessage());
                }
            }
        }
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(endOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting because of a signal; the hook ends it with this code
        }
        return code;
    }

    /** How long a signal waits for the run to end (a stream applies what it read and saves its checkpoint). */
    static final long STOP_WAIT_SECONDS = 30;

    static int finish(JobReport report, String reportPath, PrintStream out, PrintStream err) {
        if (reportPath != null) {
            try {
                ReportJson.write(report, Path.of(reportPath));
                out.println("Report written to " + reportPath);
            } catch (IOException e) {
                err.println("cannot write --report " + reportPath + ": " + e.getMessage());
                return JOB_FAILED;
            }
        }
        boolean ok = report.status() == JobStatus.SUCCESS || report.status() == JobStatus.STOPPED;
        if (!ok) {
            err.println("Job '" + report.name() + "' " + report.status() + " in stage "
                    + (report.failedStage() == null ? "(before RUN)" : report.failedStage()) + ": " + report.error());
        }
        return ok ? OK : JOB_FAILED;
    }

    private static int validate(List<String> args, PrintStream out, PrintStream err) {
        String jobFile = single(args, "validate needs exactly one job file");
        try (SyncEngine engine = SyncEngine.builder().build()) {
            JobSpec spec = engine.parseJob(Path.of(jobFile));
            engine.validate(spec);
            out.println("Job '" + spec.name() + "' is valid: " + spec.source().connector() + " -> "
                    + spec.target().connector() + ", concurrency " + spec.settings().concurrency());
            return OK;
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return INVALID;
        }
    }

    private static int connectors(List<String> args, PrintStream out, PrintStream err) {
        boolean markdown = args.remove("--markdown");
        if (!args.isEmpty()) {
            throw new UsageException("connectors takes no arguments besides --markdown, got " + args);
        }
        try (SyncEngine engine = SyncEngine.builder().build()) {
            if (markdown) {
                out.print(Reference.markdown(engine.connectors()));
                return OK;
            }
            for (ConnectorFactory factory : engine.connectors()) {
                List<String> roles = new ArrayList<>();
                if (factory instanceof SourceFactory) {
                    roles.add("source");
                }
                if (factory instanceof TargetFactory) {
                    roles.add("target");
                }
                if (factory instanceof SupportsChangeCapture) {
                    roles.add("stream source");
                }
                if (factory instanceof SupportsChangeApply) {
                    roles.add("stream target");
                }
                out.println(factory.name() + " (" + String.join(", ", roles) + "): " + factory.description());
                if (factory instanceof SourceFactory source) {
                    printKeys(out, "source", source.sourceKeys());
                }
                if (factory instanceof TargetFactory target) {
                    printKeys(out, "target", target.targetKeys());
                }
                if (factory instanceof SupportsChangeCapture capture) {
                    printKeys(out, "stream source", capture.captureKeys());
                }
                if (factory instanceof SupportsChangeApply apply) {
                    printKeys(out, "stream target", apply.applyKeys());
                }
            }
            return OK;
        }
    }

    private static void printKeys(PrintStream out, String side, List<ConfigKey> keys) {
        out.println("  as " + side + ":" + (keys.isEmpty() ? " no keys" : ""));
        for (ConfigKey key : keys) {
            String def = key.required() ? "required" : key.defaultValue() == null ? "optional" : "default " + key.defaultValue();
            String allowed = key.allowedValues().isEmpty() ? "" : " one of " + String.join("|", key.allowedValues()) + ";";
            out.printf("    %-22s %-26s %s;%s %s%n", key.name(), key.type().describe(), def, allowed, key.description());
        }
    }

    private static int usage(PrintStream err, String problem) {
        err.println(problem);
        err.print(USAGE);
        return INVALID;
    }

    /** Removes {@code --name VALUE} from args and returns VALUE, or null when absent. */
    static String option(List<String> args, String name) {
        int i = args.indexOf(name);
        if (i < 0) {
            return null;
        }
        if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
            throw new UsageException(name + " needs a value");
        }
        String value = args.get(i + 1);
        args.remove(i + 1);
        args.remove(i);
        return value;
    }

    static int intOption(List<String> args, String name, int fallback, int min) {
        String value = option(args, name);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.replace("_", ""));
            if (parsed < min) {
                throw new UsageException(name + " must be >= " + min + ", got " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be an integer, got '" + value + "'");
        }
    }

    static String single(List<String> args, String message) {
        for (String arg : args) {
            if (arg.startsWith("--")) {
                throw new UsageException("unknown option " + arg);
            }
        }
        if (args.size() != 1) {
            throw new UsageException(message);
        }
        return args.get(0);
    }

    /** A command-line mistake: printed with the usage, exit code 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
