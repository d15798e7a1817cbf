package dev.ferry.flink;

import dev.ferry.api.Split;
import java.util.Objects;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * A Ferry {@link Split} as Flink hands it from the enumerator to a reader, with the index of the
 * table it belongs to (always 0 for a batch job, which copies one).
 *
 * @param table the table's index among the copy's tables
 * @param split the connector's split: a key range, a file, a shard
 */
public record FerrySplit(int table, Split split) implements SourceSplit {

    public FerrySplit {
        Objects.requireNonNull(split, "split");
        if (table < 0) {
            throw new IllegalArgumentException("table must be >= 0, got " + table);
        }
    }

    @Override
    public String splitId() {
        return table + "/" + split.id();
    }
}
