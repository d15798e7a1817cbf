package dev.ferry.engine.runtime;

import dev.ferry.api.SourcePlan;
import dev.ferry.api.Split;
import dev.ferry.api.TargetPlan;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.job.Runner;
import dev.ferry.engine.JobHandle;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs copies on a distributed engine, for jobs and tasks whose {@code settings.runner} is not
 * {@code local}: a whole batch job ({@link #submit}: the engine's JobManager plans it), or the
 * splits of tables planned and prepared in this process ({@link #start}: a task's Full
 * Initialization, where this process keeps what planning opened, the snapshot the copies read and
 * the prepared targets, and commits each table when its splits are written). Implementations are
 * found with {@link java.util.ServiceLoader} ({@code sync-engine-flink} provides Apache Flink's).
 *
 * <p>Threading: implementations are stateless and safe to share.
 */
public interface DistributedCopy {

    /** Whether this implementation runs copies for {@code runner}. */
    boolean runs(Runner runner);

    /**
     * The implementation on {@code loader}'s class path that runs copies for {@code runner}.
     *
     * @throws dev.ferry.api.error.ConfigException naming {@code settings.runner} when there is none
     */
    static DistributedCopy find(Runner runner, ClassLoader loader) {
        return java.util.ServiceLoader.load(DistributedCopy.class, loader).stream()
                .map(java.util.ServiceLoader.Provider::get).filter(c -> c.runs(runner)).findFirst()
                .orElseThrow(() -> new dev.ferry.api.error.ConfigException(List.of(new dev.ferry.api.error.Violation(
                        "settings.runner", "needs Ferry's Flink runner (sync-engine-flink) and Apache Flink's jars on "
                        + "the class path of the process that runs the job; add them, or run it locally",
                        "'" + runner.kind().key() + "'"))));
    }

    /**
     * Submits a batch job, whose whole run (planning, copy, POST) happens on the distributed engine;
     * the handle reports it like a local run.
     *
     * @throws dev.ferry.api.error.ConfigException when the job cannot run there, naming the key
     */
    JobHandle submit(JobSpec spec);

    /**
     * Starts copying every split of {@code tables}.
     *
     * @param spec        the job whose connector blocks the remote processes attach with (they carry
     *                    the credentials the plans leave out)
     * @param parallelism parallel readers and writers
     * @throws dev.ferry.api.error.SyncException when the copy cannot be submitted
     */
    Execution start(JobSpec spec, Runner runner, int parallelism, List<PlannedTable> tables);

    /**
     * One table to copy: its source's plan, its target's plan, and the splits left to write.
     *
     * @param label a name for logs, unique among the tables of one copy
     */
    record PlannedTable(String label, SourcePlan source, TargetPlan target, List<Split> splits) implements Serializable {

        public PlannedTable {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(target, "target");
            splits = List.copyOf(splits);
        }
    }

    /** A copy under way. Threading: safe for use from any thread. */
    interface Execution {

        /**
         * Waits until every split is written and committed.
         *
         * @return the records each split read, by table label and split id
         * @throws dev.ferry.api.error.CancelledException after {@link #cancel}
         * @throws dev.ferry.api.error.SyncException      when the copy failed, saying why
         */
        Map<String, Map<String, Long>> await();

        /** Asks the copy to stop; {@link #await} then throws a cancellation. */
        void cancel();
    }
}
