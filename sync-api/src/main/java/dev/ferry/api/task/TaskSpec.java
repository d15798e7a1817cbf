package dev.ferry.api.task;

import dev.ferry.api.job.ConnectorSpec;
import dev.ferry.api.job.JobSettings;
import java.util.List;
import java.util.Objects;

/**
 * A whole-database sync task as written in a task file: Schema Migration, Full Initialization,
 * Real-time Synchronization (unless {@code realtime} is false) and, for {@code partitioned}
 * targets, the Incremental Merge.
 *
 * @param name         a name for logs, status and the state store, not blank
 * @param source       the source connector and its own keys ({@code tables} and {@code shards} are
 *                     taken out into {@code tables} and {@code shards})
 * @param tables       which source tables the task syncs, in file order
 * @param shards       the source's endpoints when it is sharded; empty for a single endpoint
 * @param target       the target connector and its own keys ({@code kind}, {@code schema} and
 *                     {@code tablePrefix} are taken out)
 * @param kind         what the target holds
 * @param targetSchema the schema or database target tables go to, or null for the URL's default
 * @param tablePrefix  a prefix of every target table name, or empty
 * @param realtime     whether real-time synchronization follows the Full Initialization
 * @param partitions   for a {@code partitioned} target, its partitioning and merge time; null otherwise
 * @param settings     how the task's jobs run
 */
public record TaskSpec(String name, ConnectorSpec source, List<TableRule> tables, List<Shard> shards,
                       ConnectorSpec target, TargetKind kind, String targetSchema, String tablePrefix, boolean realtime,
                       PartitionSettings partitions, JobSettings settings) {

    public TaskSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(tablePrefix, "tablePrefix");
        Objects.requireNonNull(settings, "settings");
        tables = List.copyOf(tables);
        shards = List.copyOf(shards);
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank, got '" + name + "'");
        }
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("task '" + name + "' needs at least one table");
        }
        if ((kind == TargetKind.PARTITIONED) != (partitions != null)) {
            throw new IllegalArgumentException("task '" + name + "': partition settings go with a partitioned target "
                    + "and only with one (kind " + kind.keyName() + ")");
        }
    }

    /** Whether the source has several endpoints or merges physical tables (Rerun and Backfill are refused then). */
    public boolean isSharded() {
        return !shards.isEmpty() || tables.stream().anyMatch(t -> t.physical() != null);
    }
}
