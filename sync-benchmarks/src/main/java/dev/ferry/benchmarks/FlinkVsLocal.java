package dev.ferry.benchmarks;

import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.job.Stage;
import dev.ferry.engine.SyncEngine;
import dev.ferry.engine.runtime.ReportJson;
import dev.ferry.flink.FlinkRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One batch job, run once in this JVM either by the local engine ({@link SyncEngine#run}) or on a
 * Flink MiniCluster started in this JVM ({@link FlinkRunner}, {@code local()}, parallelism = the
 * job's {@code settings.concurrency}), timed the same way for both: what {@code run-flink.sh}
 * measures, one JVM per run so that CPU time and memory do not mix. Not a JMH benchmark: one run
 * takes tens of seconds and is bound by the database; nothing here runs as a test.
 *
 * <pre>
 * java -Xmx256m -cp sync-benchmarks/target/classes:sync-benchmarks/target/flink-lib/* \
 *      dev.ferry.benchmarks.FlinkVsLocal local|flink JOB.json REPORT.json LOG
 * </pre>
 *
 * <p>Writes the job's report to {@code REPORT.json}, the JVM's log (slf4j-simple, with wall-clock
 * times) to {@code LOG}, and prints one {@code RESULT} line of {@code key=value} pairs:
 * <ul>
 *   <li>{@code wall_s}: from the submission (building the engine or the runner and calling
 *       {@code run}; for Flink this starts the MiniCluster) until the report is back;</li>
 *   <li>{@code startup_s}: from the submission until the SYNC stage began, read from the log line
 *       each engine writes when it begins SYNC (locally {@code stage SYNC started}; on Flink the
 *       enumerator's {@code split(s) for N parallel reader(s)} once it has planned), {@code -} when
 *       the line is missing. Locally that is PRE and SPLIT; on Flink also the MiniCluster's start
 *       and the job's deployment;</li>
 *   <li>{@code pre_s}, {@code split_s}, {@code sync_s}, {@code post_s}: the report's stages;</li>
 *   <li>{@code sync_rate}: the report's {@code recordsPerSecond} (records over SYNC);</li>
 *   <li>{@code status}, {@code records} (written), {@code splits}, {@code parallelism}.</li>
 * </ul>
 * The exit status is 0 when the job succeeded.
 */
public final class FlinkVsLocal {

    /** slf4j-simple's time stamp, parsed back with {@link OffsetDateTime#parse}. */
    private static final String LOG_TIME_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";

    private FlinkVsLocal() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4 || !(args[0].equals("local") || args[0].equals("flink"))) {
            System.err.println("usage: FlinkVsLocal local|flink JOB.json REPORT.json LOG");
            System.exit(2);
        }
        boolean onFlink = args[0].equals("flink");
        Path log = Path.of(args[3]);
        // Before anything asks for a logger: the log is where SYNC's start is read from, so Ferry's
        // own INFO lines are kept (this module's simplelogger.properties keeps only warnings).
        System.setProperty("org.slf4j.simpleLogger.logFile", log.toString());
        System.setProperty("org.slf4j.simpleLogger.log.dev.ferry", "info");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", LOG_TIME_FORMAT);

        String jobFile = Files.readString(Path.of(args[1]), StandardCharsets.UTF_8);
        JobSpec spec;
        try (SyncEngine parser = SyncEngine.builder().build()) {
            spec = parser.parseJob(jobFile);
        }

        Instant submitted = Instant.now();
        long submittedNanos = System.nanoTime();
        JobReport report;
        if (onFlink) {
            report = FlinkRunner.builder().local().parallelism(spec.settings().concurrency()).build().run(spec);
        } else {
            try (SyncEngine engine = SyncEngine.builder().build()) {
                report = engine.run(spec);
            }
        }
        double wall = (System.nanoTime() - submittedNanos) / 1e9;
        ReportJson.write(report, Path.of(args[2]));

        String name = "Job '" + spec.name() + "'";
        Predicate<String> syncBegan = onFlink
                ? line -> line.contains(name + ": ") && line.contains("parallel reader(s) on Flink")
                : line -> line.contains(name + ": stage SYNC started");
        String startup = loggedAt(log, syncBegan)
                .map(at -> seconds((at.toEpochMilli() - submitted.toEpochMilli()) / 1000.0))
                .orElse("-");
        System.out.printf(Locale.ROOT, "RESULT engine=%s status=%s records=%d splits=%d parallelism=%d sync_rate=%.0f "
                        + "wall_s=%s startup_s=%s pre_s=%s split_s=%s sync_s=%s post_s=%s%n",
                args[0], report.status(), report.recordsWritten(), report.splits().size(),
                report.concurrency().actual(), report.recordsPerSecond(), seconds(wall), startup,
                stage(report, Stage.PRE), stage(report, Stage.SPLIT), stage(report, Stage.SYNC),
                stage(report, Stage.POST));
        if (!report.isSuccess()) {
            System.out.println("ERROR " + report.error());
        }
        System.out.flush();
        // A MiniCluster may leave threads behind that keep the JVM up; the run is over.
        System.exit(report.isSuccess() ? 0 : 1);
    }

    private static String stage(JobReport report, Stage stage) {
        return report.stages().stream()
                .filter(t -> t.name() == stage)
                .findFirst()
                .map(t -> seconds(t.durationMillis() / 1000.0))
                .orElse("-");
    }

    private static String seconds(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /** When the first log line that {@code matches} was written, if there is one. */
    private static Optional<Instant> loggedAt(Path log, Predicate<String> matches) throws IOException {
        if (!Files.exists(log)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        for (String line : lines) {
            int space = line.indexOf(' ');
            if (space > 0 && matches.test(line)) {
                try {
                    return Optional.of(OffsetDateTime.parse(line.substring(0, space)).toInstant());
                } catch (DateTimeParseException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
