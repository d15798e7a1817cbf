package dev.ferry.connector.file;

import dev.ferry.api.AttachedSource;
import dev.ferry.api.SourcePlan;
import dev.ferry.api.SourceReader;
import dev.ferry.api.Split;
import java.util.Objects;

/**
 * Readers of a csv or jsonl plan made elsewhere ({@link dev.ferry.api.SupportsAttach}). Each reader
 * opens and closes its own file, so attaching opens nothing and {@link #close} has nothing to
 * release.
 *
 * <p>Threading: immutable; {@code createReader} from any thread.
 *
 * @param plan the plan the readers read by
 */
record AttachedFiles(FileReadPlan plan) implements AttachedSource {

    AttachedFiles {
        Objects.requireNonNull(plan, "plan");
    }

    /**
     * Readers of {@code plan}, which a source of {@code connector} must have made.
     *
     * @throws IllegalArgumentException when the plan is not of {@code kind}
     */
    static AttachedFiles of(SourcePlan plan, Class<? extends FileReadPlan> kind, String connector) {
        if (!kind.isInstance(plan)) {
            throw new IllegalArgumentException("not a plan of a " + connector + " source: " + plan);
        }
        return new AttachedFiles(kind.cast(plan));
    }

    /**
     * Why the writers of a file target cannot be attached: the target makes its splits' files
     * visible in its own {@code commit}, from parts it keeps track of in the process that prepared
     * it, so writers elsewhere would write parts no commit publishes. A file target is no
     * {@link dev.ferry.api.PlannedTarget} and so has no plan to attach to.
     */
    static UnsupportedOperationException targetRefused(String connector) {
        return new UnsupportedOperationException(connector + " targets cannot be attached: a file target publishes "
                + "the files of its splits in its own commit, so its writers must run in the process that prepared it");
    }

    @Override
    public SourceReader createReader(Split split) {
        return plan.createReader(split);
    }

    @Override
    public void close() {
        // Readers close their own files.
    }
}
