package dev.ferry.api;

/**
 * A {@link Target} capability: its writers' {@link TargetWriter#abortSplit()} removes every effect
 * of the split (a rolled-back transaction, a deleted part file), so the engine may read and write
 * a failed split again without duplicates or gaps. Without it a retriable failure fails the job.
 */
public interface SupportsSplitRetry {
}
