package dev.ferry.connector.file;

import dev.ferry.api.JobContext;
import dev.ferry.api.PlannedSource;
import dev.ferry.api.Source;
import dev.ferry.api.SourceReader;
import dev.ferry.api.Split;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What the csv and jsonl sources share: resolving {@code path} to files in {@link #prepare}, and
 * one {@link FileSplit} per file whatever the concurrency, since a text file cannot be entered in
 * the middle of a record. {@code prepare} also makes the {@link FileReadPlan} every reader reads
 * by, this source's own and those attached from {@link #sourcePlan} in another process.
 *
 * <p>Threading: {@code prepare}, {@code schema}, {@code planSplits} and {@code close} run on the
 * driver thread; {@code createReader} may run on several channel threads at once and only reads
 * state published by {@code prepare}.
 */
abstract class FileSource implements Source, PlannedSource {

    protected final FileSourceSettings settings;
    /** The configuration block's path, {@code "source"}, for messages. */
    protected final String keyPrefix;
    private final Path baseDirectory;
    private volatile InputFiles files;
    private volatile FileReadPlan plan;

    FileSource(FileSourceSettings settings, String keyPrefix, Path baseDirectory) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
        this.baseDirectory = Objects.requireNonNull(baseDirectory, "baseDirectory");
    }

    @Override
    public final void prepare(JobContext context) {
        InputFiles resolved = InputFiles.resolve(settings.paths(), baseDirectory, keyPrefix + ".path");
        plan = readPlan(resolveSchema(resolved.files(), context));
        files = resolved;
    }

    /**
     * Reads what it needs of the files to fix the schema, and checks every file against it.
     *
     * @throws dev.ferry.api.error.ConfigException when the files do not fit the configuration
     */
    protected abstract TableSchema resolveSchema(List<Path> files, JobContext context);

    /** How every reader of this source reads, once the schema is resolved. */
    protected abstract FileReadPlan readPlan(TableSchema schema);

    @Override
    public final TableSchema schema() {
        return requirePrepared(plan).schema();
    }

    /** The plan made by {@link #prepare}; the files are in the splits. */
    @Override
    public final FileReadPlan sourcePlan() {
        return requirePrepared(plan);
    }

    @Override
    public final List<FileSplit> planSplits(JobContext context) {
        return requirePrepared(files).splits();
    }

    @Override
    public final SourceReader createReader(Split split) {
        return requirePrepared(plan).createReader(split);
    }

    @Override
    public void close() {
        // Readers own their files; the source holds nothing open.
    }

    /** A short name for the schema: the first path entry. */
    protected final String schemaName() {
        return settings.paths().get(0);
    }

    private <T> T requirePrepared(T value) {
        if (value == null) {
            throw new SyncException(ErrorKind.INTERNAL, getClass().getSimpleName() + ": prepare() must run first");
        }
        return value;
    }
}
