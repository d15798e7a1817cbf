package dev.ferry.connector.file;

import dev.ferry.api.config.ConnectorConfig;
import dev.ferry.api.error.Violation;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Objects;

/**
 * The keys a csv or jsonl target shares.
 *
 * <p>Threading: immutable; safe to share.
 *
 * @param path     the output file, or a directory for one file per split (see {@link FileTarget})
 * @param encoding the character encoding to write
 */
record FileTargetSettings(String path, Charset encoding) {

    FileTargetSettings {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(encoding, "encoding");
        if (path.isBlank()) {
            throw new IllegalArgumentException("path must not be blank");
        }
    }

    /**
     * Reads the shared keys of {@code config}, adding a violation for each broken rule.
     *
     * @return the settings, or null when a violation was added
     */
    static FileTargetSettings from(ConnectorConfig config, List<Violation> violations) {
        int before = violations.size();
        String path = config.getString(FileKeys.TARGET_PATH.name());
        if (path == null || path.isBlank()) {
            violations.add(new Violation(config.path() + "." + FileKeys.TARGET_PATH.name(), "must not be blank",
                    "'" + path + "'"));
        }
        Charset encoding = FileSourceSettings.charset(config, violations);
        if (violations.size() > before) {
            return null;
        }
        return new FileTargetSettings(path, encoding);
    }
}
