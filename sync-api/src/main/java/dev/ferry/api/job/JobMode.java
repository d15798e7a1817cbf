package dev.ferry.api.job;

import java.util.Locale;

/** How a job moves data: the job file's {@code mode}. */
public enum JobMode {
    /** Copy what the source holds, then end. */
    BATCH,
    /** Apply the source's changes as they happen, until stopped. */
    STREAM;

    /** The name used in job files: {@code batch} or {@code stream}. */
    public String modeName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
