package dev.ferry.flink;

import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.job.Runner;
import dev.ferry.engine.runtime.DistributedCopy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Apache Flink as the engine's {@link DistributedCopy}: how a batch job, or a task's Full
 * Initialization (and the copies of its Rerun and Edit), runs with {@code settings.runner}
 * {@code flink} or {@code flink-local}. The task's process keeps the snapshot and the prepared targets and commits
 * each table; Flink's tasks attach to the plans and copy the splits, as for a batch job.
 *
 * <p>Threading: stateless; safe to share.
 */
public final class FlinkDistributedCopy implements DistributedCopy {

    @Override
    public boolean runs(Runner runner) {
        return runner.isFlink();
    }

    /** A batch job with {@code settings.runner} flink or flink-local, submitted from {@code SyncEngine.submit}. */
    @Override
    public FlinkRun submit(JobSpec spec) {
        return FlinkRunner.builder().on(spec.settings().runner()).build().submit(spec);
    }

    @Override
    public Execution start(JobSpec spec, Runner runner, int parallelism, List<PlannedTable> tables) {
        FlinkRun run = FlinkRunner.builder().on(runner).parallelism(parallelism).build().submitPlanned(spec, tables);
        return new Execution() {
            @Override
            public Map<String, Map<String, Long>> await() {
                CopyTotals totals = run.awaitTotals();
                Map<String, Map<String, Long>> records = new LinkedHashMap<>();
                for (int i = 0; i < totals.splits().size(); i++) {
                    JobReport.SplitReport split = totals.splits().get(i);
                    String label = tables.get(totals.splitTables().get(i)).label();
                    records.computeIfAbsent(label, l -> new LinkedHashMap<>()).put(split.id(), split.records());
                }
                return records;
            }

            @Override
            public void cancel() {
                run.cancel();
            }
        };
    }
}
