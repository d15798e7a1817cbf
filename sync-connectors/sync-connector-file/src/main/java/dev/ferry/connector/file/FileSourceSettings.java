package dev.ferry.connector.file;

import dev.ferry.api.config.ConnectorConfig;
import dev.ferry.api.data.Column;
import dev.ferry.api.error.Violation;
import java.nio.charset.Charset;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The keys a csv or jsonl source shares.
 *
 * <p>Threading: immutable; safe to share.
 *
 * @param paths    the {@code path} entries as given: files, directories or globs; at least one
 * @param encoding the files' character encoding
 * @param columns  the declared columns, or empty to take them from the files
 */
record FileSourceSettings(List<String> paths, Charset encoding, List<Column> columns) {

    FileSourceSettings {
        paths = List.copyOf(paths);
        Objects.requireNonNull(encoding, "encoding");
        columns = List.copyOf(columns);
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("paths must name at least one file");
        }
    }

    /** Whether the columns come from the files rather than from the configuration. */
    boolean infersColumns() {
        return columns.isEmpty();
    }

    /**
     * Reads the shared keys of {@code config}, adding a violation for each broken rule.
     *
     * @return the settings, or null when a violation was added
     */
    static FileSourceSettings from(ConnectorConfig config, List<Violation> violations) {
        int before = violations.size();
        String prefix = config.path() + ".";
        List<String> paths = config.getStringList(FileKeys.SOURCE_PATH.name());
        if (paths == null || paths.isEmpty()) {
            violations.add(new Violation(prefix + FileKeys.SOURCE_PATH.name(), "must name at least one file", "[]"));
        } else {
            for (String path : paths) {
                if (path == null || path.isBlank()) {
                    violations.add(new Violation(prefix + FileKeys.SOURCE_PATH.name(), "must not hold an empty entry",
                            String.valueOf(paths)));
                    break;
                }
            }
        }
        Charset encoding = charset(config, violations);
        List<Column> columns = config.getColumns(FileKeys.CSV_SOURCE_COLUMNS.name());
        if (columns == null) {
            columns = List.of();
        } else if (columns.isEmpty() && config.isSet(FileKeys.CSV_SOURCE_COLUMNS.name())) {
            violations.add(new Violation(prefix + FileKeys.CSV_SOURCE_COLUMNS.name(),
                    "must list at least one column when given", "[]"));
        } else {
            Set<String> seen = new HashSet<>();
            for (Column column : columns) {
                if (!seen.add(column.name())) {
                    violations.add(new Violation(prefix + FileKeys.CSV_SOURCE_COLUMNS.name(), "must have unique names",
                            "'" + column.name() + "' twice"));
                }
            }
        }
        if (violations.size() > before) {
            return null;
        }
        return new FileSourceSettings(paths, encoding, columns);
    }

    /** The {@code encoding} key as a charset, or null after adding a violation. */
    static Charset charset(ConnectorConfig config, List<Violation> violations) {
        String name = config.getString(FileKeys.ENCODING.name());
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException e) {
            violations.add(new Violation(config.path() + "." + FileKeys.ENCODING.name(),
                    "must be a character encoding this JVM supports, such as UTF-8", "'" + name + "'"));
            return null;
        }
    }
}
