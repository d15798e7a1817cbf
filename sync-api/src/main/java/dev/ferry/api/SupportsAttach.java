package dev.ferry.api;

import dev.ferry.api.config.ConnectorConfig;

/**
 * A {@link ConnectorFactory} capability: a source planned once ({@link PlannedSource}) or a target
 * prepared once ({@link PlannedTarget}) can be attached any number of times, in this process or
 * another, from its serialisable plan. Attaching never repeats the planning's global effects
 * (exporting a snapshot, pre-SQL, creating or truncating a table): it only opens what one process
 * needs. This is what lets a runner on a distributed engine execute splits on other machines.
 *
 * <p>Threading: factories are stateless and safe to share.
 */
public interface SupportsAttach {

    /**
     * Opens readers for a plan made by this connector's source.
     *
     * @param config  the same source block the plan was made from (it carries the credentials the
     *                plan leaves out)
     * @param context the job the readers work for ({@link JobContext#concurrency()} sizes what is opened)
     */
    AttachedSource attachSource(ConnectorConfig config, SourcePlan plan, JobContext context);

    /** Opens writers for a plan made by this connector's target; see {@link #attachSource}. */
    AttachedTarget attachTarget(ConnectorConfig config, TargetPlan plan, JobContext context);
}
