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
 * The {@code jsonl} connector: JSON-lines files (one JSON object per line) as a source and as a
 * target.
 *
 * <p>Source keys: {@code path} (required: files, directories, globs), {@code columns} (default:
 * inferred from the first line, see {@link JsonlSource}), {@code encoding} (default UTF-8). Target
 * keys: {@code path} (required: a file, or a directory for one file per split), {@code encoding}.
 * Values are typed JSON as described in {@link JsonlOutput}.
 *
 * <p>Creating a source or target checks the keys only; the file system is first touched in
 * {@code prepare}.
 *
 * <p>Attaching ({@link SupportsAttach}): readers of a jsonl source's plan open in any
 * process that sees the files at the splits' absolute paths; the configuration adds nothing to the
 * plan. A jsonl target cannot be attached, since it publishes its splits' files in its own commit.
 *
 * <p>Threading: stateless; safe to share.
 */
public final class JsonlConnector implements SourceFactory, TargetFactory, SupportsAttach {

    public static final String NAME = "jsonl";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Reads and writes JSON-lines files (one object per line), one split per file.";
    }

    @Override
    public List<ConfigKey> sourceKeys() {
        return FileKeys.JSONL_SOURCE;
    }

    @Override
    public List<ConfigKey> targetKeys() {
        return FileKeys.JSONL_TARGET;
    }

    @Override
    public Source createSource(ConnectorConfig config) {
        return createSource(config, CsvConnector.workingDirectory());
    }

    /** As {@link #createSource(ConnectorConfig)}, resolving relative paths against {@code baseDirectory}. */
    JsonlSource createSource(ConnectorConfig config, Path baseDirectory) {
        List<Violation> violations = new ArrayList<>();
        FileSourceSettings settings = FileSourceSettings.from(config, violations);
        if (!violations.isEmpty()) {
            throw new ConfigException(violations);
        }
        return new JsonlSource(settings, config.path(), baseDirectory);
    }

    @Override
    public Target createTarget(ConnectorConfig config) {
        return createTarget(config, CsvConnector.workingDirectory());
    }

    /** As {@link #createTarget(ConnectorConfig)}, resolving a relative path against {@code baseDirectory}. */
    FileTarget createTarget(ConnectorConfig config, Path baseDirectory) {
        List<Violation> violations = new ArrayList<>();
        FileTargetSettings settings = FileTargetSettings.from(config, violations);
        if (!violations.isEmpty()) {
            throw new ConfigException(violations);
        }
        return new FileTarget(settings, new JsonlOutput(), config.path(), baseDirectory);
    }

    /** Readers of a plan made by a jsonl source; {@code config} is not needed, the plan holds all they read by. */
    @Override
    public AttachedSource attachSource(ConnectorConfig config, SourcePlan plan, JobContext context) {
        return AttachedFiles.of(plan, JsonlReadPlan.class, NAME);
    }

    /**
     * @throws UnsupportedOperationException always: a jsonl target makes its splits' files visible in
     *         its own commit, so its writers run in the process that prepared it
     */
    @Override
    public AttachedTarget attachTarget(ConnectorConfig config, TargetPlan plan, JobContext context) {
        throw AttachedFiles.targetRefused(NAME);
    }
}
