package dev.ferry.engine.task;

import dev.ferry.api.task.MergeInstance;
import dev.ferry.api.task.StageState;
import dev.ferry.api.task.StageStatus;
import dev.ferry.api.task.TableStatus;
import dev.ferry.api.task.TaskStage;
import dev.ferry.api.task.TaskStatus;
import java.util.Locale;

/**
 * The readable form of a {@link TaskStatus}: the task, then its four stages in order, each with a
 * line per table.
 *
 * <pre>
 * Task 'shop' version 3: RUNNING
 *   Schema Migration           DONE      2 tables
 *   Full Initialization        DONE      2 tables, 120,400 rows
 *     public.orders            DONE      120,000 rows
 *   ...
 * </pre>
 *
 * <p>Threading: stateless.
 */
public final class TaskStatusText {

    private TaskStatusText() {
    }

    public static String render(TaskStatus status) {
        StringBuilder sb = new StringBuilder();
        sb.append("Task '").append(status.name()).append("' version ").append(status.version()).append(": ")
                .append(status.status()).append('\n');
        if (status.error() != null) {
            sb.append("  Error: ").append(status.error()).append('\n');
        }
        for (StageStatus stage : status.stages()) {
            sb.append(String.format(Locale.ROOT, "  %-26s %-9s %s%n", title(stage.name()), stage.status(), summary(stage)));
            if (stage.status() == StageState.SKIPPED) {
                continue;
            }
            for (TableStatus table : stage.tables()) {
                sb.append(String.format(Locale.ROOT, "    %-24s %-9s %s%n", table.table(), table.status(), counts(table)));
            }
            for (MergeInstance merge : stage.instances()) {
                sb.append(String.format(Locale.ROOT, "    %-24s %-9s %,d rows, %s .. %s%s%n", merge.date(), merge.status(),
                        merge.rows(), merge.startedAt(), merge.endedAt() == null ? "" : merge.endedAt(),
                        merge.error() == null ? "" : "  " + merge.error()));
            }
        }
        return sb.toString();
    }

    private static String title(TaskStage stage) {
        return switch (stage) {
            case SCHEMA_MIGRATION -> "Schema Migration";
            case FULL_INITIALIZATION -> "Full Initialization";
            case REALTIME -> "Real-time Synchronization";
            case INCREMENTAL_MERGE -> "Incremental Merge";
        };
    }

    private static String summary(StageStatus stage) {
        if (stage.status() == StageState.SKIPPED) {
            return "";
        }
        StringBuilder sb = new StringBuilder(stage.tables().size() + " table(s)");
        long done = stage.tables().stream().filter(t -> t.status() == StageState.DONE).count();
        if (stage.name() != TaskStage.REALTIME && done < stage.tables().size()) {
            sb.append(", ").append(done).append(" done");
        }
        long rows = stage.tables().stream().mapToLong(t -> t.records() == null ? 0 : t.records()).sum();
        if (stage.name() == TaskStage.FULL_INITIALIZATION && rows > 0) {
            sb.append(String.format(Locale.ROOT, ", %,d rows", rows));
        }
        if (stage.lagMillis() != null) {
            sb.append(", lag ").append(stage.lagMillis()).append(" ms");
        }
        if (stage.position() != null) {
            sb.append(", checkpoint ").append(stage.position());
        }
        return sb.toString();
    }

    private static String counts(TableStatus table) {
        if (table.records() != null) {
            return String.format(Locale.ROOT, "%,d rows", table.records());
        }
        if (table.inserts() != null) {
            return String.format(Locale.ROOT, "%,d inserts, %,d updates, %,d deletes", table.inserts(), table.updates(),
                    table.deletes());
        }
        return "";
    }
}
