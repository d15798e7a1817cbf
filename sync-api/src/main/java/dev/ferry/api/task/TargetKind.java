package dev.ferry.api.task;

import java.util.Locale;

/** What a task's target holds: the task file's {@code target.kind}. */
public enum TargetKind {
    /** Each target table mirrors its source table, changes applied by key. */
    UPSERT,
    /** One partition per Business Date, built by a nightly Incremental Merge from a change log. */
    PARTITIONED;

    /** The name used in task files: {@code upsert} or {@code partitioned}. */
    public String keyName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
