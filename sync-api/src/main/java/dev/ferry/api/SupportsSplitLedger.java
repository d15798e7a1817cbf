package dev.ferry.api;

import java.util.Map;

/**
 * A {@link Target} capability: it records each split it commits in the same commit, in a ledger of
 * its own (a small table in the target database written in the split's transaction), so a job run
 * again after a crash, a kill or a failure learns exactly which splits reached the target. Without
 * it a split committed just before a crash, but not yet recorded elsewhere, would be written twice.
 * The engine runs a job with its progress kept ({@code run --state}) only against targets that
 * have it.
 *
 * <p>Lifecycle, driven by the engine on the job's driver thread:
 * <ol>
 *   <li>{@link #keepSplitLedger} before {@link Target#prepare}: from then on every split a writer
 *       finishes is recorded under {@code ledger}, with the records it wrote, in the split's own
 *       commit.</li>
 *   <li>{@link #committedSplits} after {@code prepare}: what an earlier run committed under the
 *       same ledger; the engine skips those splits.</li>
 *   <li>{@link #dropSplitLedger} after {@link Target#commit} and {@link Target#post} of a job that
 *       succeeded: the ledger's entries are no longer needed.</li>
 * </ol>
 */
public interface SupportsSplitLedger {

    /**
     * What this target's writes depend on, as text a person can read (the table, the write mode,
     * the key columns). A run that resumes another refuses to go on when it differs. Valid before
     * {@link Target#prepare}.
     */
    String writeDesign();

    /**
     * Records the splits of this run under {@code ledger}. Called before {@link Target#prepare}.
     *
     * @param ledger   the ledger's id, at most 64 characters; the same for every run of one plan
     * @param resuming true when an earlier run of the plan wrote into the target: whatever would
     *                 empty the target before writing (such as deleting its rows first) must not
     *                 happen again
     */
    void keepSplitLedger(String ledger, boolean resuming);

    /** The splits committed under the ledger, each with the records it wrote; after {@code prepare}. */
    Map<String, Long> committedSplits();

    /** Removes the ledger's entries; a failure to do so is thrown, and the engine only logs it. */
    void dropSplitLedger();
}
