package dev.ferry.cli;

import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.job.Progress;
import dev.ferry.engine.SyncEngine;
import dev.ferry.engine.runtime.Summary;
import dev.ferry.flink.FlinkRun;
import dev.ferry.flink.FlinkRunner;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code run JOB.json --runner flink|flink-local}: the batch job submitted to Apache Flink, with
 * the summary, report and exit code of a local run. Ctrl-C / SIGTERM cancels the Flink job.
 *
 * <p>This class is the only one of the command line that uses Flink's classes (through the
 * runner): {@link Main} loads it once {@link FlinkClasses} has found them.
 */
final class RunOnFlink {

    private RunOnFlink() {
    }

    static int run(String jobFile, RunnerOption runner, String reportPath, PrintStream out, PrintStream err) {
        JobSpec spec;
        try (SyncEngine engine = SyncEngine.builder().build()) {
            spec = engine.parseJob(Path.of(jobFile));
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return Main.INVALID;
        }
        FlinkRun run;
        try {
            run = FlinkRunner.builder().on(runner.runner()).build().submit(spec);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return Main.INVALID;
        } catch (SyncException e) {
            err.println("Job '" + spec.name() + "' FAILED before RUN: " + e.getMessage() + rootCause(e));
            return Main.JOB_FAILED;
        }
        out.println("Job '" + spec.name() + "' runs on " + runner.where() + " as Flink job " + run.jobId());
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ferry-flink-progress");
            thread.setDaemon(true);
            return thread;
        });
        long interval = spec.settings().progressIntervalMillis();
        progress.scheduleWithFixedDelay(() -> out.println(progressLine(run.progress())), interval, interval,
                TimeUnit.MILLISECONDS);
        return Main.foreground(() -> cancel(run, spec, err), () -> {
            JobReport report;
            try {
                report = run.await();
            } finally {
                progress.shutdownNow();
            }
            // A local run's summary is logged by the engine; here the job ran elsewhere.
            out.print("Job '" + spec.name() + "' summary:" + System.lineSeparator() + Summary.format(report));
            return Main.finish(report, reportPath, out, err);
        }, out, err);
    }

    /** A progress line as a local run logs one, from what Flink last collected of the tasks' counters. */
    static String progressLine(Progress p) {
        return String.format(Locale.ROOT, "Job '%s' progress on Flink: %,d records passed to the writers, %d split(s) "
                + "read, %,.0f records/s since submission", p.job(), p.recordsRead(), p.splitsDone(),
                p.recordsPerSecond());
    }

    /** Flink's client says only that it failed; its first cause says why (e.g. the connection was refused). */
    private static String rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause == failure ? "" : " (" + cause + ")";
    }

    private static void cancel(FlinkRun run, JobSpec spec, PrintStream err) {
        try {
            run.cancel();
        } catch (RuntimeException e) {
            // the job may have ended meanwhile, or the cluster be unreachable: the report says how it ended
            err.println("Job '" + spec.name() + "': cancelling Flink job " + run.jobId() + " failed: " + e.getMessage());
        }
    }
}
