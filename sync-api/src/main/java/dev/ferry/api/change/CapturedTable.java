package dev.ferry.api.change;

import dev.ferry.api.data.TableSchema;
import java.io.Serializable;
import java.util.Objects;

/**
 * A table a change stream captures, with its schema as the source had it when the stream was
 * planned (changes carry later schemas themselves).
 */
public record CapturedTable(TableId id, TableSchema schema) implements Serializable {

    public CapturedTable {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(schema, "schema");
    }
}
