package dev.ferry.api.change;

import dev.ferry.api.state.Position;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What planning a change stream produced: the small, serialisable facts every later attachment
 * needs, so that attaching again (after a stop, a crash, on another machine) never repeats the
 * planning's global effects (creating a publication or slot, picking a server id).
 *
 * @param connector  the source connector that made it
 * @param tables     the captured tables, sorted by id
 * @param start      where streaming starts when no checkpoint exists yet
 * @param snapshot   whether the tables must be copied before streaming from {@code start}
 * @param properties the connector's own facts (slot and publication names, server id), as text
 */
public record CapturePlan(String connector, List<CapturedTable> tables, Position start, boolean snapshot,
                          Map<String, String> properties) implements Serializable {

    public CapturePlan {
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(start, "start");
        tables = tables.stream().sorted((a, b) -> a.id().compareTo(b.id())).toList();
        properties = Map.copyOf(new TreeMap<>(properties));
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("a capture plan needs at least one table");
        }
    }

    /** The named property, or {@code fallback} when the connector did not record it. */
    public String property(String name, String fallback) {
        return properties.getOrDefault(name, fallback);
    }
}
