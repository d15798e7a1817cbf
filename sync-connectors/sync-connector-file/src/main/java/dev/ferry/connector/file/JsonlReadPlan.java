package dev.ferry.connector.file;

import dev.ferry.api.SourceReader;
import dev.ferry.api.data.TableSchema;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How a {@link JsonlSource} reads its files ({@link FileReadPlan}).
 *
 * <p>Threading: immutable; safe to share.
 *
 * @param schema   the records' schema: each column takes the value of the key of its name
 * @param encoding the files' character encoding, by its canonical name
 */
record JsonlReadPlan(TableSchema schema, String encoding) implements FileReadPlan {

    JsonlReadPlan {
        Objects.requireNonNull(schema, "schema");
        FileReadPlan.supported(encoding);
    }

    JsonlReadPlan(TableSchema schema, Charset encoding) {
        this(schema, encoding.name());
    }

    @Override
    public String connector() {
        return JsonlConnector.NAME;
    }

    @Override
    public SourceReader reader(FileSplit split) {
        return new JsonlReader(split, Path.of(split.path()), charset(), schema);
    }
}
