package dev.ferry.engine.task;

import dev.ferry.api.change.Partitioning;
import dev.ferry.api.job.ConnectorSpec;
import dev.ferry.api.job.JobMode;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.task.Shard;
import dev.ferry.api.task.TableRule;
import dev.ferry.api.task.TaskSpec;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a task into the streaming jobs that carry out its stages: Schema Migration is the
 * target's preparation, Full Initialization the stream's snapshot, Real-time Synchronization the
 * stream itself. The task owns the table list, the snapshot start and the table mapping; the rest
 * of each block is the connectors'.
 *
 * <p>Threading: stateless.
 */
public final class TaskJobs {

    /** The change-target key that makes a target partitioned. */
    public static final String PARTITIONED = "partitioned";

    private TaskJobs() {
    }

    /**
     * The streaming jobs of a task, by label: one job named like the task for a single source
     * endpoint (label {@code ""}), or one per shard ({@code shard0}, {@code shard1}, …, jobs named
     * {@code TASK-shard0}, …), each with the shard's URL and, where the shard sets them, its own
     * credentials. A table rule with {@code physical} captures every table of its schema (the
     * connection's own when its name is not qualified) that the expression matches, all written
     * into the one target table the rule names. A partitioned target gets its partitioning and the
     * Business Date its Full Initialization writes ({@code partitioned}, {@code partitionColumn},
     * {@code partitionFormat}, {@code partitionZone}, {@code partitionDate}), and with shards each
     * shard's number ({@code partitionShard}), so that the shards fill each partition together.
     *
     * @param baseDate the Business Date on which the task's last Full Initialization (or Rerun)
     *                 began; used by partitioned targets only
     */
    public static Map<String, JobSpec> streams(TaskSpec task, LocalDate baseDate) {
        List<String> tables = new ArrayList<>();
        List<String> mapping = new ArrayList<>();
        List<String> splitPks = new ArrayList<>();
        for (TableRule rule : task.tables()) {
            if (rule.physical() != null) {
                int dot = rule.name().indexOf('.');
                String schema = dot > 0 ? rule.name().substring(0, dot) : "~";
                String logical = dot > 0 ? rule.name().substring(dot + 1) : rule.name();
                String entry = schema + "./" + rule.physical() + "/";
                tables.add(entry);
                mapping.add(entry + "=" + (rule.target() != null ? rule.target()
                        : (task.targetSchema() == null ? "" : task.targetSchema() + ".") + task.tablePrefix() + logical));
                continue;
            }
            tables.add(rule.name());
            if (rule.splitPk() != null) {
                splitPks.add(rule.name() + "=" + rule.splitPk());
            }
            if (rule.target() != null) {
                mapping.add(rule.name() + "=" + rule.target());
            }
        }
        Map<String, Object> source = new LinkedHashMap<>(task.source().options());
        source.put("tables", tables);
        source.putIfAbsent("capture.startFrom", "snapshot");
        if (!splitPks.isEmpty()) {
            source.put("capture.splitPk", splitPks);
        }
        Map<String, Object> target = new LinkedHashMap<>(task.target().options());
        if (!mapping.isEmpty()) {
            target.put("tableMapping", mapping);
        }
        if (task.targetSchema() != null) {
            target.put("schema", task.targetSchema());
        }
        if (!task.tablePrefix().isEmpty()) {
            target.put("tablePrefix", task.tablePrefix());
        }
        if (task.partitions() != null) {
            Partitioning partitioning = task.partitions().partitioning();
            target.put(PARTITIONED, true);
            target.put("partitionColumn", partitioning.column());
            target.put("partitionFormat", partitioning.format());
            target.put("partitionZone", partitioning.zone().getId());
            target.put("partitionDate", baseDate.toString());
        }
        ConnectorSpec targetSpec = new ConnectorSpec(task.target().connector(), target);
        Map<String, JobSpec> jobs = new LinkedHashMap<>();
        if (task.shards().isEmpty()) {
            jobs.put("", new JobSpec(task.name(), JobMode.STREAM, new ConnectorSpec(task.source().connector(), source),
                    targetSpec, task.settings()));
            return jobs;
        }
        for (int i = 0; i < task.shards().size(); i++) {
            Shard shard = task.shards().get(i);
            Map<String, Object> options = new LinkedHashMap<>(source);
            options.put("url", shard.url());
            if (shard.username() != null) {
                options.put("username", shard.username());
            }
            if (shard.password() != null) {
                options.put("password", shard.password().value());
            }
            ConnectorSpec shardTarget = targetSpec;
            if (task.partitions() != null) {
                Map<String, Object> targetOptions = new LinkedHashMap<>(target);
                targetOptions.put("partitionShard", i + "/" + task.shards().size());
                shardTarget = new ConnectorSpec(task.target().connector(), targetOptions);
            }
            jobs.put("shard" + i, new JobSpec(task.name() + "-shard" + i, JobMode.STREAM,
                    new ConnectorSpec(task.source().connector(), options), shardTarget, task.settings()));
        }
        return jobs;
    }
}
