package dev.ferry.api;

/**
 * A {@link Source} capability: its planning fits in a {@link SourcePlan}, from which readers can
 * be attached elsewhere ({@link SupportsAttach}).
 */
public interface PlannedSource {

    /**
     * The plan made by {@link Source#prepare} and {@link Source#planSplits}; valid after
     * {@code planSplits}. Readers attached from it read what this source's own readers would read
     * (the same snapshot, the same SQL), for as long as this source stays open.
     */
    SourcePlan sourcePlan();
}
