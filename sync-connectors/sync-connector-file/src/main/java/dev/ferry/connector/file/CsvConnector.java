package dev.ferry.connector.file;

import dev.ferry.api.AttachedSource;
import dev.ferry.api.AttachedTarget;
import dev.ferry.api.JobContext;
import dev.ferry.api.Source;
import dev.ferry.api.SourceFactory;
import dev.ferry.api.SourcePlan;
import dev.ferry.api.SupportsAttach;
import dev.ferry.api.Target;
import dev.ferry.api.TargetFactory;
import dev.ferry.api.TargetPlan;
import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.config.ConnectorConfig;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.Violation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code csv} connector: CSV files as a source and as a target.
 *
 * <p>Source keys: {@code path} (required: files, directories, globs), {@code columns},
 * {@code header} (default true), {@code delimiter} (default {@code ,}), {@code quote} (default
 * {@code "}), {@code nullValue} (default empty: an empty unquoted field is null),
 * {@code encoding} (default UTF-8). Target keys: {@code path} (required: a file, or a directory
 * for one file per split), {@code header}, {@code delimiter}, {@code quote}, {@code nullValue},
 * {@code encoding}. Text forms of values are those of {@link TextValues}.
 *
 * <p>Creating a source or target checks the keys only; the file system is first touched in
 * {@code prepare}.
 *
 * <p>Attaching ({@link SupportsAttach}): readers of a csv source's plan open in any
 * process that sees the files at the splits' absolute paths; the configuration adds nothing to the
 * plan. A csv target cannot be attached, since it publishes its splits' files in its own commit.
 *
 * <p>Threading: stateless; safe to share.
 */
public final class CsvConnector implements SourceFactory, TargetFactory, SupportsAttach {

    public static final String NAME = "csv";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Reads and writes CSV files (RFC 4180), one split per file.";
    }

    @Override
    public List<ConfigKey> sourceKeys() {
        return FileKeys.CSV_SOURCE;
    }

    @Override
    public List<ConfigKey> targetKeys() {
        return FileKeys.CSV_TARGET;
    }

    @Override
    public Source createSource(ConnectorConfig config) {
        return createSource(config, workingDirectory());
    }

    /** As {@link #createSource(ConnectorConfig)}, resolving relative paths against {@code baseDirectory}. */
    CsvSource createSource(ConnectorConfig config, Path baseDirectory) {
        List<Violation> violations = new ArrayList<>();
        FileSourceSettings settings = FileSourceSettings.from(config, violations);
        CsvFormat format = CsvFormat.from(config, violations);
        if (!config.getBoolean(FileKeys.HEADER.name()) && config.getColumns(FileKeys.CSV_SOURCE_COLUMNS.name()) == null) {
            violations.add(new Violation(config.path() + "." + FileKeys.CSV_SOURCE_COLUMNS.name(),
                    "must be given when " + config.path() + ".header is false", null));
        }
        if (!violations.isEmpty()) {
            throw new ConfigException(violations);
        }
        return new CsvSource(settings, format, config.path(), baseDirectory);
    }

    @Override
    public Target createTarget(ConnectorConfig config) {
        return createTarget(config, workingDirectory());
    }

    /** As {@link #createTarget(ConnectorConfig)}, resolving a relative path against {@code baseDirectory}. */
    FileTarget createTarget(ConnectorConfig config, Path baseDirectory) {
        List<Violation> violations = new ArrayList<>();
        FileTargetSettings settings = FileTargetSettings.from(config, violations);
        CsvFormat format = CsvFormat.from(config, violations);
        if (!violations.isEmpty()) {
            throw new ConfigException(violations);
        }
        return new FileTarget(settings, new CsvOutput(format), config.path(), baseDirectory);
    }

    /** Readers of a plan made by a csv source; {@code config} is not needed, the plan holds all they read by. */
    @Override
    public AttachedSource attachSource(ConnectorConfig config, SourcePlan plan, JobContext context) {
        return AttachedFiles.of(plan, CsvReadPlan.class, NAME);
    }

    /**
     * @throws UnsupportedOperationException always: a csv target makes its splits' files visible in
     *         its own commit, so its writers run in the process that prepared it
     */
    @Override
    public AttachedTarget attachTarget(ConnectorConfig config, TargetPlan plan, JobContext context) {
        throw AttachedFiles.targetRefused(NAME);
    }

    static Path workingDirectory() {
        return Path.of("").toAbsolutePath();
    }
}
