package dev.ferry.api.verify;

import dev.ferry.api.JobContext;
import dev.ferry.api.data.TableSchema;
import java.util.List;

/**
 * A {@link dev.ferry.api.Target} capability: what a copy wrote can be read back, split by split,
 * so that verification can compare it with the source. A target without it (one that discards
 * rows, files written without a reader) cannot be verified.
 *
 * <p>Threading: called from the driver thread, on a target created from configuration (prepared
 * or not: opening a read-back never runs pre- or post-SQL, creates nor deletes anything).
 */
public interface SupportsReadBack {

    /**
     * Opens what reading back needs (its own connections).
     *
     * @param context      the job; {@link JobContext#concurrency()} sizes what is opened
     * @param sourceSchema the source's schema; the target columns receiving these are read
     * @param splitColumn  the source column the splits' key ranges bound (the target reads the
     *                     same range of the column it maps it to), or null when the source's splits
     *                     are not key ranges
     * @param keyColumns   the source columns that identify a row, for reading in key order; may be empty
     * @throws dev.ferry.api.error.ConfigException naming the key when the target cannot be read
     *         back (its table is missing, a source column has no target column)
     */
    ReadBack openReadBack(JobContext context, TableSchema sourceSchema, String splitColumn, List<String> keyColumns);
}
