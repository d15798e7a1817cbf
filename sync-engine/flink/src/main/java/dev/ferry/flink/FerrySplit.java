package dev.ferry.flink;

import dev.ferry.api.Split;
import java.util.Objects;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * A Ferry {@link Split} as Flink hands it from the enumerator to a reader.
 *
 * @param split the connector's split: a key range, a file, a shard
 */
public record FerrySplit(Split split) implements SourceSplit {

    public FerrySplit {
        Objects.requireNonNull(split, "split");
    }

    @Override
    public String splitId() {
        return split.id();
    }
}
