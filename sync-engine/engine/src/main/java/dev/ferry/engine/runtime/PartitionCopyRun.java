package dev.ferry.engine.runtime;

import dev.ferry.api.change.CapturePlan;
import dev.ferry.api.change.CapturedTable;
import dev.ferry.api.change.ChangeSource;
import dev.ferry.api.change.ChangeTarget;
import dev.ferry.api.change.SupportsPartitions;
import dev.ferry.api.change.TableId;
import dev.ferry.api.change.TableMapping;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.error.Violation;
import dev.ferry.api.job.JobListener;
import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.job.JobStatus;
import dev.ferry.api.job.Progress;
import dev.ferry.api.job.Stage;
import dev.ferry.api.job.StreamReport;
import dev.ferry.api.state.StateStore;
import dev.ferry.engine.Ticker;
import dev.ferry.engine.config.JobValidator.ValidatedStream;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Full Data Backfill: copies the tables of a stream's source, as they are now, into one Business
 * Date's partition of its partitioned target, replacing each table's partition atomically. It
 * reads the tables the stream planned (its stored plan) and opens nothing on the source that
 * streams (no slot, no snapshot held), so the stream may go on meanwhile.
 *
 * <p>A run like the others: SUBMITTED, WAITING for its slots, RUNNING through PRE (the plan, the
 * target tables) and SNAPSHOT (the copy, many tables at once), then SUCCESS or FAILED. A copy
 * interrupted by a crash resumes with the splits it had not written, under its own state-store
 * keys ({@code stream/NAME/...}, where NAME is the run's name).
 *
 * <p>Threading: {@code run} on one driver thread; {@code stop}, {@code cancel} and
 * {@code progress} from any thread.
 */
public final class PartitionCopyRun extends RunBase {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionCopyRun.class);

    private final String stream;
    private final ChangeSource source;
    private final ChangeTarget target;
    private final JobSpec spec;
    private final LocalDate date;
    private final Set<TableId> only;
    private final StreamMetrics metrics = new StreamMetrics();
    private volatile SnapshotCopy copying;
    private volatile long copyStartNanos;

    /**
     * @param name   the run's name (for logs, its report and its progress keys)
     * @param job    the stream whose source and target the copy uses, validated
     * @param date   the Business Date whose partitions are written
     * @param only   the source tables to copy; empty for every table of the stream
     */
    public PartitionCopyRun(String name, ValidatedStream job, LocalDate date, Set<TableId> only, ResourceGroup group,
                            List<JobListener> listeners, Ticker ticker, StateStore stateStore,
                            ScheduledExecutorService timer) {
        super(name, job.spec().settings(), job.redaction(), group, listeners, ticker, stateStore, timer);
        this.stream = job.spec().name();
        this.spec = job.spec();
        this.source = job.source();
        this.target = job.target();
        this.date = date;
        this.only = Set.copyOf(only);
    }

    @Override
    public void run() {
        claim();
        JobStatus outcome = JobStatus.FAILED;
        Stage failedStage = null;
        String error = null;
        try {
            acquireSlots();
            List<TableMapping> mappings = new ArrayList<>();
            List<CapturedTable> tables = new ArrayList<>();
            CapturePlan plan = stage(Stage.PRE, () -> prepare(mappings, tables));
            SupportsPartitions partitions = (SupportsPartitions) target;
            stage(Stage.SNAPSHOT, () -> {
                copyStartNanos = ticker.nanoTime();
                SnapshotCopy copy = new SnapshotCopy(name(), spec, settings, context, stateStore, dirty, ticker, metrics,
                        StreamObserver.NONE, slotsHeld, this::quietly);
                copying = copy;
                if (cancelRequested) {
                    copy.cancel("job '" + name() + "' was cancelled");
                }
                copy.copy(mappings, tables, id -> source.snapshot(plan, id), m -> partitions.partition(m, date));
                Map<String, String> done = new HashMap<>();
                SnapshotCopy.forgetProgress(name(), stateStore, done);
                stateStore.putAll(done);
                return null;
            });
            outcome = JobStatus.SUCCESS;
        } catch (Throwable t) {
            Ending ending = ending(t, false);
            outcome = ending.status();
            failedStage = ending.failedStage();
            error = ending.error();
        } finally {
            copying = null;
            end(outcome, failedStage, error, List.of(new Cleanup("close the target", target::close),
                    new Cleanup("close the source", source::close)));
        }
    }

    private CapturePlan prepare(List<TableMapping> mappings, List<CapturedTable> tables) {
        if (!(target instanceof SupportsPartitions)) {
            throw new ConfigException(new Violation("target.connector", "must keep Business-Date partitions for a "
                    + "backfill", "'" + target + "'"));
        }
        CapturePlan plan = StreamRun.storedPlan(stream, source, stateStore).orElseThrow(() -> new SyncException(
                ErrorKind.CONFIGURATION, "stream '" + stream + "' has no planned tables yet: start it first"));
        List<TableId> planned = plan.tables().stream().map(CapturedTable::id).toList();
        List<TableId> unknown = only.stream().filter(id -> !planned.contains(id)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new ConfigException(new Violation("--tables", "must name tables the task syncs (" + planned + ")",
                    unknown.toString()));
        }
        plan.tables().stream().filter(t -> only.isEmpty() || only.contains(t.id())).forEach(tables::add);
        mappings.addAll(target.prepare(context, tables));
        LOG.info("Job '{}': backfilling {} table(s) into the partition of {}", name(), tables.size(), date);
        return plan;
    }

    @Override
    public void stop() {
        cancel();
    }

    @Override
    protected void onCancel() {
        SnapshotCopy copy = copying;
        if (copy != null) {
            copy.cancel("job '" + name() + "' was cancelled");
        }
    }

    @Override
    public Progress progress() {
        long elapsed = elapsedSince(copyStartNanos);
        long rows = metrics.snapshotRows.sum();
        return new Progress(name(), rows, rows, 0, dirty.count(), 0, 0, TimeUnit.NANOSECONDS.toMillis(elapsed),
                perSecond(rows, elapsed), 0, null);
    }

    @Override
    protected JobReport report(JobStatus outcome, Stage failedStage, String error) {
        Instant endedAt = ticker.now();
        long elapsed = elapsedSince(copyStartNanos);
        long rows = metrics.snapshotRows.sum();
        return new JobReport(name(), outcome, failedStage, error, rows, rows, dirty.count(), 0, List.of(),
                new JobReport.Concurrency(settings.concurrency(), slotsHeld), group.name(), startedAt, endedAt,
                Math.max(0, endedAt.toEpochMilli() - startedAt.toEpochMilli()), TimeUnit.NANOSECONDS.toMillis(waitNanos),
                perSecond(rows, elapsed), 0, stageTimings(), warnings(), dirty.samples(),
                new StreamReport(0, 0, 0, dirty.count(), 0, null, 0, rows, null));
    }
}
