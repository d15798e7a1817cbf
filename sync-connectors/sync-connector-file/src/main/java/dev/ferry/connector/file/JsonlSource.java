package dev.ferry.connector.file;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.ferry.api.JobContext;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.Violation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The {@code jsonl} source.
 *
 * <p>Columns: as declared by {@code columns}; without it, the keys of the first non-blank line of
 * the first file that has one, in their order, typed from their values there: {@code true}/
 * {@code false} as boolean, an integer as int64, another number as float64, a string as string, an
 * object or array as json, and null as string. Every inferred column is nullable. The inference
 * is reported as a warning so that users see what to declare when a later line does not fit (a
 * line with {@code 1.5} where the first had {@code 1} is dirty for an inferred int64 column).
 *
 * <p>Threading: see {@link FileSource}.
 */
final class JsonlSource extends FileSource {

    private static final JsonFactory JSON = new JsonFactory();

    JsonlSource(FileSourceSettings settings, String keyPrefix, Path baseDirectory) {
        super(settings, keyPrefix, baseDirectory);
    }

    @Override
    protected TableSchema resolveSchema(List<Path> files, JobContext context) {
        if (!settings.infersColumns()) {
            return TableSchema.of(schemaName(), settings.columns());
        }
        for (Path file : files) {
            String line = firstLine(file);
            if (line == null) {
                continue;
            }
            Map<String, DataType> inferred = infer(line);
            if (inferred == null || inferred.isEmpty()) {
                throw new ConfigException(new Violation(keyPrefix + ".columns",
                        "must be given when the first line is not a JSON object with at least one key",
                        "'" + shorten(line) + "' in '" + file + "'"));
            }
            List<Column> columns = new ArrayList<>(inferred.size());
            StringJoiner described = new StringJoiner(", ");
            inferred.forEach((name, type) -> {
                columns.add(Column.of(name, type));
                described.add(name + " " + type.typeName());
            });
            context.warn(keyPrefix + ".columns not given: inferred " + described + " from the first line of '"
                    + file + "'");
            return TableSchema.of(schemaName(), columns);
        }
        throw new ConfigException(new Violation(keyPrefix + ".columns",
                "must be given when no file has a line to infer them from", String.valueOf(settings.paths())));
    }

    /** Column names and types from one line, or null when the line is not a JSON object. */
    static Map<String, DataType> infer(String line) {
        Map<String, DataType> columns = new LinkedHashMap<>();
        try (JsonParser parser = JSON.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken token = parser.nextToken();
                DataType type = switch (token) {
                    case VALUE_TRUE, VALUE_FALSE -> DataType.BOOLEAN;
                    case VALUE_NUMBER_INT -> DataType.INT64;
                    case VALUE_NUMBER_FLOAT -> DataType.FLOAT64;
                    case START_OBJECT, START_ARRAY -> DataType.JSON;
                    default -> DataType.STRING;
                };
                parser.skipChildren();
                if (!name.isEmpty()) {
                    columns.putIfAbsent(name, type);
                }
            }
            return parser.nextToken() == null ? columns : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The first non-blank line of the file, or null. */
    private String firstLine(Path file) {
        CsvParser lines = null;
        try {
            lines = CsvParser.lines(TextFiles.open(file, settings.encoding()));
            while (lines.next()) {
                String line = lines.raw();
                if (!line.isBlank()) {
                    return line;
                }
            }
            return null;
        } catch (IOException e) {
            throw TextFiles.failure(file, settings.encoding(), lines == null ? 0 : lines.linesRead(), e);
        } finally {
            if (lines != null) {
                try {
                    lines.close();
                } catch (IOException e) {
                    // Read-only: nothing is lost by a failed close.
                }
            }
        }
    }

    private static String shorten(String line) {
        int max = InvalidValueException.MAX_SHOWN;
        return line.length() > max ? line.substring(0, max) + "..." : line;
    }

    @Override
    protected JsonlReadPlan readPlan(TableSchema schema) {
        return new JsonlReadPlan(schema, settings.encoding());
    }
}
