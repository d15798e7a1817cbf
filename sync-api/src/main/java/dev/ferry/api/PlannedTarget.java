package dev.ferry.api;

/**
 * A {@link Target} capability: what {@link Target#prepare} decided fits in a {@link TargetPlan},
 * from which writers can be attached elsewhere ({@link SupportsAttach}).
 */
public interface PlannedTarget {

    /** The plan made by {@link Target#prepare}; valid after it. */
    TargetPlan targetPlan();
}
