package dev.ferry.api.change;

import dev.ferry.api.data.TableSchema;
import java.io.Serializable;
import java.util.Objects;

/**
 * Which target table receives a source table's changes.
 *
 * @param source the source table
 * @param schema its schema as planned
 * @param target the target table's name, as the target connector reads a table name
 *               ({@code orders}, {@code sales.orders})
 */
public record TableMapping(TableId source, TableSchema schema, String target) implements Serializable {

    public TableMapping {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(target, "target");
        if (target.isBlank()) {
            throw new IllegalArgumentException("target table of " + source + " must not be blank");
        }
    }
}
