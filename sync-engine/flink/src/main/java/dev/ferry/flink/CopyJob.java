package dev.ferry.flink;

import dev.ferry.api.JobContext;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.job.RateLimit;
import dev.ferry.api.state.StateStore;
import dev.ferry.engine.config.ConnectorCatalog;
import dev.ferry.engine.config.JobValidator;
import dev.ferry.engine.runtime.DistributedCopy;
import dev.ferry.engine.state.InMemoryStateStore;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A copy as the Flink operators receive it: the job, the id of the target's split ledger for this
 * submission, the parallelism its readers and writers run at, and, for tables planned by the
 * process that submitted the copy (a task's Full Initialization), their plans and splits.
 * Everything that opens something is made from it where it runs (the JobManager plans a batch
 * job, the task managers attach), with the connectors found on that process's class path.
 *
 * @param spec        the job, with its connector blocks (credentials included)
 * @param ledger      the id under which the target records each committed split
 * @param parallelism the readers' and writers' parallelism
 * @param tables      tables planned and prepared by the submitting process; empty for a batch job,
 *                    which the JobManager plans
 */
record CopyJob(JobSpec spec, String ledger, int parallelism, List<DistributedCopy.PlannedTable> tables)
        implements Serializable {

    private static final Logger LOG = LoggerFactory.getLogger(CopyJob.class);
    static final String RUNNER = "Flink";

    CopyJob {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(ledger, "ledger");
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be >= 1, got " + parallelism);
        }
        tables = List.copyOf(tables);
    }

    /** A batch job, which the JobManager plans. */
    CopyJob(JobSpec spec, String ledger, int parallelism) {
        this(spec, ledger, parallelism, List.of());
    }

    /** Whether the submitting process planned the tables (and commits them); else the JobManager plans the job. */
    boolean prePlanned() {
        return !tables.isEmpty();
    }

    String name() {
        return spec.name();
    }

    /** Validates the job against the connectors of {@code loader}'s class path. */
    JobValidator validator(ClassLoader loader) {
        return new JobValidator(ConnectorCatalog.discover(loader, List.of()), List.of(spec.settings().resourceGroup()));
    }

    JobValidator.AttachableJob attachable(ClassLoader loader) {
        return validator(loader).attachable(spec, RUNNER);
    }

    /**
     * One reader's share of the job's rate limit: the budget divided over the parallel readers,
     * rounded up, so that together they keep to it.
     */
    RateLimit rateShare() {
        RateLimit limit = spec.settings().rateLimit();
        return new RateLimit(share(limit.recordsPerSecond()), share(limit.bytesPerSecond()));
    }

    private long share(long perSecond) {
        return perSecond == 0 ? 0 : Math.max(1, (perSecond + parallelism - 1) / parallelism);
    }

    /** The job's context where its connectors open in one Flink process; warnings are logged and kept. */
    Context context(String where) {
        return new Context(spec.name(), parallelism, where);
    }

    /** A {@link JobContext} for connectors opened on Flink: warnings logged and kept, state in memory. */
    static final class Context implements JobContext {

        private final String job;
        private final int concurrency;
        private final String where;
        private final List<String> warnings = new CopyOnWriteArrayList<>();
        private final StateStore state = new InMemoryStateStore();

        Context(String job, int concurrency, String where) {
            this.job = job;
            this.concurrency = concurrency;
            this.where = where;
        }

        @Override
        public String jobName() {
            return job;
        }

        @Override
        public int concurrency() {
            return concurrency;
        }

        @Override
        public void warn(String message) {
            LOG.warn("Job '{}' ({}): {}", job, where, message);
            warnings.add(message);
        }

        @Override
        public StateStore stateStore() {
            return state;
        }

        List<String> warnings() {
            return List.copyOf(warnings);
        }
    }

    /** A failure of the job as one line, for the client's report: what the engine would say locally. */
    static String describe(Throwable t) {
        Throwable cause = t;
        Throwable root = t;
        while (cause != null) {
            if (cause instanceof SyncException) {
                return cause.getMessage();
            }
            root = cause;
            cause = cause.getCause() == cause ? null : cause.getCause();
        }
        // A failure from another process may arrive as Flink's SerializedThrowable, whose text names
        // the original class.
        return new SyncException(ErrorKind.INTERNAL, String.valueOf(root)).getMessage();
    }
}
