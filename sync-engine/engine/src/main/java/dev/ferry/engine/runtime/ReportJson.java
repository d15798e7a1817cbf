package dev.ferry.engine.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.job.DirtyRecord;
import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.StreamReport;
import dev.ferry.api.verify.VerifyReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The JSON form of a {@link JobReport}. Its keys are a public contract (see the README); times are
 * ISO-8601 instants.
 */
public final class ReportJson {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportJson() {
    }

    public static ObjectNode toJson(JobReport r) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("name", r.name());
        root.put("status", r.status().name());
        root.put("failedStage", r.failedStage() == null ? null : r.failedStage().name());
        root.put("error", r.error());
        root.put("recordsRead", r.recordsRead());
        root.put("recordsWritten", r.recordsWritten());
        root.put("resumedSplits", r.resumedSplits());
        root.put("resumedRecords", r.resumedRecords());
        root.put("dirtyRecords", r.dirtyRecords());
        root.put("bytes", r.bytes());
        ArrayNode splits = root.putArray("splits");
        for (JobReport.SplitReport split : r.splits()) {
            splits.addObject().put("id", split.id()).put("records", split.records());
        }
        root.putObject("concurrency").put("configured", r.concurrency().configured())
                .put("actual", r.concurrency().actual());
        root.put("resourceGroup", r.resourceGroup());
        root.put("startedAt", r.startedAt() == null ? null : r.startedAt().toString());
        root.put("endedAt", r.endedAt() == null ? null : r.endedAt().toString());
        root.put("durationMillis", r.durationMillis());
        root.put("waitMillis", r.waitMillis());
        root.put("recordsPerSecond", r.recordsPerSecond());
        root.put("bytesPerSecond", r.bytesPerSecond());
        ArrayNode stages = root.putArray("stages");
        for (JobReport.StageTiming stage : r.stages()) {
            stages.addObject().put("name", stage.name().name()).put("durationMillis", stage.durationMillis());
        }
        ArrayNode warnings = root.putArray("warnings");
        r.warnings().forEach(warnings::add);
        ArrayNode dirty = root.putArray("dirtySamples");
        for (DirtyRecord d : r.dirtySamples()) {
            dirty.addObject().put("split", d.split()).put("attempt", d.attempt()).put("side", d.side())
                    .put("reason", d.reason()).put("record", d.record());
        }
        if (r.stream() != null) {
            StreamReport st = r.stream();
            root.putObject("stream").put("inserts", st.inserts()).put("updates", st.updates()).put("deletes", st.deletes())
                    .put("dirty", st.dirty()).put("checkpoints", st.checkpoints()).put("position", st.position())
                    .put("lagMillis", st.lagMillis()).put("snapshotRows", st.snapshotRows())
                    .put("positionLost", st.positionLost());
        }
        if (r.verification() != null) {
            root.set("verification", toJson(r.verification()));
        }
        return root;
    }

    /** A verification's findings: {@code matches}, paths, {@code splits} with outcomes and named keys, notes. */
    public static ObjectNode toJson(VerifyReport v) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("matches", v.matches());
        node.put("durationMillis", v.durationMillis());
        node.put("sourceHashing", v.sourcePath());
        node.put("targetHashing", v.targetPath());
        ArrayNode splits = node.putArray("splits");
        for (VerifyReport.SplitCheck check : v.splits()) {
            ObjectNode split = splits.addObject().put("id", check.split()).put("outcome", check.outcome().name())
                    .put("sourceRows", check.sourceRows()).put("targetRows", check.targetRows());
            if (!check.keys().isEmpty() || check.moreKeys() > 0) {
                ArrayNode keys = split.putArray("keys");
                for (VerifyReport.KeyDifference key : check.keys()) {
                    keys.addObject().put("key", key.key()).put("outcome", key.outcome().name());
                }
                split.put("moreKeys", check.moreKeys());
            }
        }
        ArrayNode notes = node.putArray("notes");
        v.notes().forEach(notes::add);
        return node;
    }

    /** Writes a verification's findings as JSON, like a job's report. */
    public static String toString(VerifyReport report) {
        try {
            return MAPPER.writeValueAsString(toJson(report));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String toString(JobReport report) {
        try {
            return MAPPER.writeValueAsString(toJson(report));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the report to a temporary file next to {@code file}, then renames it into place. */
    public static void write(JobReport report, Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = Files.createTempFile(dir, "." + absolute.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, toString(report) + System.lineSeparator());
            Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
