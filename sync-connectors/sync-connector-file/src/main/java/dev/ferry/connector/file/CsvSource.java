package dev.ferry.connector.file;

import dev.ferry.api.JobContext;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.Violation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code csv} source.
 *
 * <p>Columns: without {@code columns}, every column the first file's header names, as nullable
 * strings. With {@code columns} and a header, each declared column is found by its name in each
 * file's header (other header columns are skipped, order does not matter); without a header, the
 * declared columns are the fields in order. {@code prepare} reads the header of every file and
 * fails when one lacks a column.
 *
 * <p>Threading: see {@link FileSource}.
 */
final class CsvSource extends FileSource {

    private final CsvFormat format;

    CsvSource(FileSourceSettings settings, CsvFormat format, String keyPrefix, Path baseDirectory) {
        super(settings, keyPrefix, baseDirectory);
        this.format = Objects.requireNonNull(format, "format");
        if (settings.infersColumns() && !format.header()) {
            throw new IllegalArgumentException("columns are required when the files have no header");
        }
    }

    CsvFormat format() {
        return format;
    }

    @Override
    protected TableSchema resolveSchema(List<Path> files, JobContext context) {
        List<Violation> violations = new ArrayList<>();
        List<Column> columns = settings.columns();
        if (!format.header()) {
            return TableSchema.of(schemaName(), columns);
        }
        boolean inferred = settings.infersColumns();
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            List<String> header = readHeader(file);
            if (header == null) {
                if (inferred && i == 0) {
                    violations.add(new Violation(keyPrefix + ".columns",
                            "must be given when the first file has no header line", "'" + file + "' is empty"));
                    break;
                }
                continue;
            }
            if (!checkHeader(header, file, violations)) {
                continue;
            }
            if (inferred && i == 0) {
                columns = new ArrayList<>(header.size());
                for (String name : header) {
                    columns.add(Column.of(name, DataType.STRING));
                }
                context.warn(keyPrefix + ".columns not given: reading columns " + header + " of '" + file
                        + "' as string");
                continue;
            }
            Set<String> names = new HashSet<>(header);
            for (Column column : columns) {
                if (!names.contains(column.name())) {
                    String missing = "'" + column.name() + "' missing from '" + file + "'";
                    violations.add(inferred
                            ? new Violation(keyPrefix + ".path",
                                    "must name files that all have the header columns of the first file", missing)
                            : new Violation(keyPrefix + ".columns", "must each be named in the header of every file",
                                    missing));
                }
            }
        }
        if (!violations.isEmpty()) {
            throw new ConfigException(violations);
        }
        return TableSchema.of(schemaName(), columns);
    }

    /** Adds a violation unless the header's names are unique and non-empty. */
    private boolean checkHeader(List<String> header, Path file, List<Violation> violations) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i);
            String problem = name.isEmpty() ? "an empty name at position " + (i + 1)
                    : !seen.add(name) ? "'" + name + "' twice" : null;
            if (problem != null) {
                violations.add(new Violation(keyPrefix + ".path",
                        "must name files whose header names are unique and non-empty", problem + " in '" + file + "'"));
                return false;
            }
        }
        return true;
    }

    /** The first record of the file, or null when the file is empty. */
    private List<String> readHeader(Path file) {
        CsvParser parser = null;
        try {
            parser = new CsvParser(TextFiles.open(file, settings.encoding()), format.delimiter(), format.quote());
            if (!parser.next()) {
                return null;
            }
            List<String> names = new ArrayList<>(parser.fieldCount());
            for (int i = 0; i < parser.fieldCount(); i++) {
                names.add(parser.field(i));
            }
            return names;
        } catch (IOException e) {
            throw TextFiles.failure(file, settings.encoding(), parser == null ? 0 : parser.linesRead(), e);
        } finally {
            closeQuietly(parser);
        }
    }

    @Override
    protected CsvReadPlan readPlan(TableSchema schema) {
        return new CsvReadPlan(schema, settings.encoding(), format);
    }

    private static void closeQuietly(CsvParser parser) {
        if (parser != null) {
            try {
                parser.close();
            } catch (IOException e) {
                // Nothing was written; a failed close of a read-only file loses nothing.
            }
        }
    }
}
