package dev.ferry.connector.file;

import dev.ferry.api.SourceReader;
import dev.ferry.api.data.TableSchema;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How a {@link CsvSource} reads its files ({@link FileReadPlan}).
 *
 * <p>Threading: immutable; safe to share.
 *
 * @param schema   the records' schema; with a header, each column is the field its name heads in
 *                 each file, without one the fields in order
 * @param encoding the files' character encoding, by its canonical name
 * @param format   the files' layout
 */
record CsvReadPlan(TableSchema schema, String encoding, CsvFormat format) implements FileReadPlan {

    CsvReadPlan {
        Objects.requireNonNull(schema, "schema");
        FileReadPlan.supported(encoding);
        Objects.requireNonNull(format, "format");
    }

    CsvReadPlan(TableSchema schema, Charset encoding, CsvFormat format) {
        this(schema, encoding.name(), format);
    }

    @Override
    public String connector() {
        return CsvConnector.NAME;
    }

    @Override
    public SourceReader reader(FileSplit split) {
        return new CsvReader(split, Path.of(split.path()), charset(), format, schema);
    }
}
