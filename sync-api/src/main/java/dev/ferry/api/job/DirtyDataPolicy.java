package dev.ferry.api.job;

import java.io.Serializable;

/**
 * How many dirty records a job tolerates and where they are kept. Both limits may be set and
 * both apply; with neither, dirty records are tolerated and reported.
 *
 * @param maxRecords fail as soon as the count exceeds this (0 = fail on the first); null = no limit
 * @param maxPercent fail when dirty / read × 100 exceeds this (checked when reading ends); null = no limit
 * @param file       a JSON-lines file that receives every dirty record with its reason and split; null = none
 */
public record DirtyDataPolicy(Long maxRecords, Double maxPercent, String file) implements Serializable {

    public static final DirtyDataPolicy TOLERATE = new DirtyDataPolicy(null, null, null);

    public DirtyDataPolicy {
        if (maxRecords != null && maxRecords < 0) {
            throw new IllegalArgumentException("settings.dirtyData.maxRecords must be >= 0, got " + maxRecords);
        }
        if (maxPercent != null && (maxPercent < 0 || maxPercent > 100 || maxPercent.isNaN())) {
            throw new IllegalArgumentException("settings.dirtyData.maxPercent must be between 0 and 100, got " + maxPercent);
        }
    }
}
