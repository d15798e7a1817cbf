package dev.ferry.engine.runtime;

import dev.ferry.api.job.JobReport;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The human-readable end-of-job summary, as logged by the engine and printed by the CLI. */
public final class Summary {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    private Summary() {
    }

    public static String format(JobReport r) {
        StringBuilder sb = new StringBuilder();
        line(sb, "Job", r.name() + " " + r.status());
        if (r.failedStage() != null || r.error() != null) {
            line(sb, "Failed stage", r.failedStage() == null ? "(before RUN)" : r.failedStage().name());
            line(sb, "Error", r.error());
        }
        line(sb, "Start time", r.startedAt() == null ? "-" : TIME.format(r.startedAt()));
        line(sb, "End time", r.endedAt() == null ? "-" : TIME.format(r.endedAt()));
        line(sb, "Duration", String.format(Locale.ROOT, "%.3f s", r.durationMillis() / 1000.0));
        line(sb, "Records read", String.format(Locale.ROOT, "%,d", r.recordsRead()));
        line(sb, "Records written", String.format(Locale.ROOT, "%,d", r.recordsWritten()));
        if (r.resumedSplits() > 0) {
            line(sb, "Resumed", String.format(Locale.ROOT, "%,d split(s), %,d records written by an earlier run",
                    r.resumedSplits(), r.resumedRecords()));
        }
        line(sb, "Bytes", String.format(Locale.ROOT, "%,d (%.1f MB)", r.bytes(), r.bytes() / 1e6));
        line(sb, "Average speed", String.format(Locale.ROOT, "%,.0f records/s, %.2f MB/s", r.recordsPerSecond(),
                r.bytesPerSecond() / 1e6));
        dirtyLine(sb, r.dirtyRecords());
        if (r.stream() != null) {
            line(sb, "Changes", String.format(Locale.ROOT, "%,d inserts, %,d updates, %,d deletes, %,d dirty",
                    r.stream().inserts(), r.stream().updates(), r.stream().deletes(), r.stream().dirty()));
            line(sb, "Checkpoints", r.stream().checkpoints() + (r.stream().position() == null ? ""
                    : ", last at " + r.stream().position()) + ", lag " + r.stream().lagMillis() + " ms");
            line(sb, "Snapshot rows", String.format(Locale.ROOT, "%,d", r.stream().snapshotRows()));
        }
        line(sb, "Splits", Integer.toString(r.splits().size()));
        line(sb, "Concurrency", "configured " + r.concurrency().configured() + ", actual " + r.concurrency().actual()
                + " (resource group '" + r.resourceGroup() + "', waited " + r.waitMillis() + " ms)");
        StringBuilder stages = new StringBuilder();
        for (JobReport.StageTiming stage : r.stages()) {
            if (stages.length() > 0) {
                stages.append(", ");
            }
            stages.append(stage.name()).append(' ').append(stage.durationMillis()).append(" ms");
        }
        line(sb, "Stages", stages.length() == 0 ? "-" : stages.toString());
        if (!r.warnings().isEmpty()) {
            line(sb, "Warnings", String.join(" | ", r.warnings()));
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String label, String value) {
        sb.append(String.format(Locale.ROOT, "  %-16s: %s%n", label, value));
    }

    /**
     * The dirty-data line reads exactly {@code Dirty data: NR} (e.g. {@code Dirty data: 7R}), as
     * the product documentation shows it and operators grep for it; the other lines stay aligned.
     */
    private static void dirtyLine(StringBuilder sb, long dirtyRecords) {
        sb.append("  Dirty data: ").append(dirtyRecords).append('R').append(System.lineSeparator());
    }
}
