package dev.ferry.engine.task;

import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.Violation;
import dev.ferry.api.job.ConnectorSpec;
import dev.ferry.api.job.JobMode;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.task.TableRule;
import dev.ferry.api.task.TaskSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a task into the streaming job that carries out its stages: Schema Migration is the
 * target's preparation, Full Initialization the stream's snapshot, Real-time Synchronization the
 * stream itself. The task owns the table list, the snapshot start and the table mapping; the rest
 * of each block is the connectors'.
 *
 * <p>Threading: stateless.
 */
public final class TaskJobs {

    private TaskJobs() {
    }

    /**
     * The streaming job of a task with one source endpoint.
     *
     * @throws ConfigException for a sharded source, whose tasks need one stream per shard
     */
    public static JobSpec stream(TaskSpec task) {
        if (task.isSharded()) {
            throw new ConfigException(new Violation("source.shards", "are not supported by the task runner yet: "
                    + "a sharded source needs one stream per shard merged into one target table", task.shards().size()
                    + " shard(s)"));
        }
        List<Violation> unsupported = new ArrayList<>();
        for (int i = 0; i < task.tables().size(); i++) {
            TableRule rule = task.tables().get(i);
            if (rule.splitPk() != null) {
                unsupported.add(new Violation("source.tables[" + i + "].splitPk", "is not supported by the task runner "
                        + "yet: a table's Full Initialization splits by its integer primary key", "'" + rule.splitPk() + "'"));
            }
        }
        if (!unsupported.isEmpty()) {
            throw new ConfigException(unsupported);
        }
        Map<String, Object> source = new LinkedHashMap<>(task.source().options());
        List<String> tables = new ArrayList<>();
        List<String> mapping = new ArrayList<>();
        for (TableRule rule : task.tables()) {
            tables.add(rule.name());
            if (rule.target() != null) {
                mapping.add(rule.name() + "=" + rule.target());
            }
        }
        source.put("tables", tables);
        source.putIfAbsent("capture.startFrom", "snapshot");
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
        return new JobSpec(task.name(), JobMode.STREAM, new ConnectorSpec(task.source().connector(), source),
                new ConnectorSpec(task.target().connector(), target), task.settings());
    }
}
