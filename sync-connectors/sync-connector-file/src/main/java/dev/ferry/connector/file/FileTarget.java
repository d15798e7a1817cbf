package dev.ferry.connector.file;

import dev.ferry.api.JobContext;
import dev.ferry.api.SupportsSplitRetry;
import dev.ferry.api.Target;
import dev.ferry.api.TargetWriter;
import dev.ferry.api.WriterContext;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The csv and jsonl targets: files that appear complete or not at all.
 *
 * <p>Design: every split is written to its own hidden temporary file in the output directory
 * ({@code .<name>.<token>...tmp}, skipped by the file sources). Nothing visible changes before
 * {@link #commit}:
 * <ul>
 *   <li><b>Directory output</b> ({@code path} is an existing directory or ends with {@code /}): one
 *       file per split, {@code part-<split id>.<ext>} with the id reduced to safe characters; each
 *       starts with the format's header. {@code commit} renames each temporary file to its name,
 *       atomically where the file system can, replacing a file of that name.</li>
 *   <li><b>One file</b> (any other {@code path}): {@code commit} writes the header and then the
 *       splits' parts, ordered by split id (digit runs compared as numbers, so {@code a.csv} before
 *       {@code b.csv} and {@code rows[900,1000)} before {@code rows[1000,1100)}) whatever order the
 *       channels ran them in, into one more temporary file, forces it to disk and renames it over
 *       {@code path}.</li>
 * </ul>
 * A split that is retried rewrites its part from scratch ({@link SupportsSplitRetry}): aborting a
 * split deletes its part. {@link #abort} and {@link #close} without a commit delete every
 * temporary file. If {@code commit} itself fails half-way through a directory output, the files
 * renamed so far stay; the rest are deleted.
 *
 * <p>Threading: {@code prepare}, {@code commit}, {@code post}, {@code abort} and {@code close} run
 * on the driver thread; writers of several channels call the part bookkeeping concurrently, which
 * is guarded by this object's monitor (once per split, never per row).
 */
final class FileTarget implements Target, SupportsSplitRetry {

    private static final Logger LOG = LoggerFactory.getLogger(FileTarget.class);
    private static final int MAX_ID_CHARS = 100;

    private final FileTargetSettings settings;
    private final OutputFormat format;
    private final String keyPrefix;
    private final Path baseDirectory;

    // Set by prepare, read by writers afterwards.
    private volatile Path directory;
    private volatile Path mergedFile;
    private volatile String token;
    private volatile String header;
    private volatile TableSchema schema;

    // Guarded by this.
    private final Map<String, Part> parts = new LinkedHashMap<>();
    private final Set<String> usedNames = new HashSet<>();
    private final Set<Path> temporaries = new LinkedHashSet<>();
    private boolean committed;

    FileTarget(FileTargetSettings settings, OutputFormat format, String keyPrefix, Path baseDirectory) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.format = Objects.requireNonNull(format, "format");
        this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
        this.baseDirectory = Objects.requireNonNull(baseDirectory, "baseDirectory");
    }

    @Override
    public void prepare(JobContext context, TableSchema sourceSchema) {
        String given = settings.path();
        Path path = baseDirectory.resolve(given).toAbsolutePath().normalize();
        boolean intoDirectory = given.endsWith("/") || given.endsWith(File.separator) || Files.isDirectory(path);
        Path dir = intoDirectory ? path : path.getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new SyncException(ErrorKind.EXTERNAL, keyPrefix + ".path: cannot create directory '" + dir + "': " + e, e);
        }
        if (!Files.isWritable(dir)) {
            throw new SyncException(ErrorKind.EXTERNAL, keyPrefix + ".path: directory '" + dir + "' is not writable");
        }
        String text = format.header(sourceSchema);
        try {
            settings.encoding().newEncoder().encode(CharBuffer.wrap(text));
        } catch (CharacterCodingException e) {
            throw new SyncException(ErrorKind.DATA, "the column names " + sourceSchema.columns().stream()
                    .map(c -> c.name()).toList() + " cannot be written in " + settings.encoding().name(), e);
        }
        schema = sourceSchema;
        header = text;
        token = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
        mergedFile = intoDirectory ? null : path;
        directory = dir;
    }

    @Override
    public TargetWriter createWriter(WriterContext context) {
        if (directory == null) {
            throw new SyncException(ErrorKind.INTERNAL, "file target: prepare() must run first");
        }
        return new FileTargetWriter(this, context);
    }

    OutputFormat format() {
        return format;
    }

    FileTargetSettings settings() {
        return settings;
    }

    TableSchema schema() {
        return schema;
    }

    /** The header each part starts with: the format's header for directory output, none for one file. */
    String partHeader() {
        return mergedFile == null ? header : "";
    }

    /** Where the output goes when it is one file; null for directory output. */
    Path mergedFile() {
        return mergedFile;
    }

    /**
     * Registers a new attempt of a split and returns the temporary file it must create. A split
     * keeps its place in the output order across attempts.
     */
    synchronized Path beginPart(String splitId) {
        if (committed) {
            throw new SyncException(ErrorKind.INTERNAL, "file target: split '" + splitId + "' started after commit");
        }
        Part part = parts.get(splitId);
        if (part == null) {
            part = new Part(parts.size(), mergedFile == null ? finalName(splitId) : null);
            parts.put(splitId, part);
        }
        if (part.temporary != null) {
            delete(part.temporary);
        }
        part.attempts++;
        part.finished = false;
        String name = mergedFile == null
                ? "." + part.finalName + "." + token + "-" + part.attempts + ".tmp"
                : "." + mergedFile.getFileName() + "." + token + "." + part.sequence + "-" + part.attempts + ".part";
        part.temporary = directory.resolve(name);
        temporaries.add(part.temporary);
        return part.temporary;
    }

    /** The split's current part is complete and durable. */
    synchronized void finishPart(String splitId) {
        parts.get(splitId).finished = true;
    }

    /** The split's current attempt failed: its part is deleted. */
    synchronized void abortPart(String splitId) {
        Part part = parts.get(splitId);
        if (part != null && part.temporary != null) {
            delete(part.temporary);
            part.temporary = null;
            part.finished = false;
        }
    }

    @Override
    public synchronized void commit() {
        if (committed) {
            return;
        }
        List<String> ids = new ArrayList<>(parts.keySet());
        ids.sort(FileTarget::naturalOrder);
        List<Part> ordered = new ArrayList<>();
        for (String id : ids) {
            if (!parts.get(id).finished) {
                throw new SyncException(ErrorKind.INTERNAL, "file target: split '" + id
                        + "' did not finish; nothing was committed");
            }
            ordered.add(parts.get(id));
        }
        try {
            if (mergedFile == null) {
                for (Part part : ordered) {
                    move(part.temporary, directory.resolve(part.finalName));
                    temporaries.remove(part.temporary);
                }
            } else {
                commitMerged(ordered);
            }
        } catch (IOException e) {
            abort();
            throw new SyncException(ErrorKind.EXTERNAL, "cannot commit the output in '" + directory + "': " + e, e);
        }
        committed = true;
    }

    private void commitMerged(List<Part> ordered) throws IOException {
        Path combined = directory.resolve("." + mergedFile.getFileName() + "." + token + ".tmp");
        temporaries.add(combined);
        try (FileChannel out = FileChannel.open(combined, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer head = settings.encoding().newEncoder().encode(CharBuffer.wrap(header));
            while (head.hasRemaining()) {
                out.write(head);
            }
            for (Part part : ordered) {
                try (FileChannel in = FileChannel.open(part.temporary, StandardOpenOption.READ)) {
                    long size = in.size();
                    long done = 0;
                    while (done < size) {
                        done += in.transferTo(done, size - done, out);
                    }
                }
            }
            out.force(true);
        }
        move(combined, mergedFile);
        temporaries.remove(combined);
        for (Part part : ordered) {
            delete(part.temporary);
        }
    }

    @Override
    public void post() {
        // Files need no post-processing.
    }

    @Override
    public synchronized void abort() {
        for (Path temporary : List.copyOf(temporaries)) {
            delete(temporary);
        }
        for (Part part : parts.values()) {
            part.temporary = null;
            part.finished = false;
        }
    }

    @Override
    public synchronized void close() {
        if (!committed) {
            abort();
        }
    }

    /** Temporary files that exist now, for tests. */
    synchronized List<Path> temporaries() {
        return List.copyOf(temporaries);
    }

    /** {@code part-<safe id><ext>}, unique in this job. */
    private String finalName(String splitId) {
        String extension = format.extension();
        String id = splitId.regionMatches(true, Math.max(0, splitId.length() - extension.length()), extension, 0,
                extension.length()) ? splitId.substring(0, splitId.length() - extension.length()) : splitId;
        StringBuilder safe = new StringBuilder("part-");
        for (int i = 0; i < id.length() && i < MAX_ID_CHARS; i++) {
            char c = id.charAt(i);
            safe.append((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' ? c : '_');
        }
        String name = safe + extension;
        for (int n = 2; !usedNames.add(name); n++) {
            name = safe + "-" + n + extension;
        }
        return name;
    }

    private void delete(Path temporary) {
        try {
            Files.deleteIfExists(temporary);
            temporaries.remove(temporary);
        } catch (IOException e) {
            LOG.warn("cannot delete temporary file '{}': {}", temporary, e.toString());
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** One split's output. */
    /** Compares split ids as text, except that runs of digits compare as numbers. */
    static int naturalOrder(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char x = a.charAt(i);
            char y = b.charAt(j);
            if (Character.isDigit(x) && Character.isDigit(y)) {
                int endA = i;
                while (endA < a.length() && Character.isDigit(a.charAt(endA))) {
                    endA++;
                }
                int endB = j;
                while (endB < b.length() && Character.isDigit(b.charAt(endB))) {
                    endB++;
                }
                String digitsA = a.substring(i, endA).replaceFirst("^0+(?=.)", "");
                String digitsB = b.substring(j, endB).replaceFirst("^0+(?=.)", "");
                int byValue = digitsA.length() != digitsB.length()
                        ? Integer.compare(digitsA.length(), digitsB.length()) : digitsA.compareTo(digitsB);
                if (byValue != 0) {
                    return byValue;
                }
                i = endA;
                j = endB;
            } else {
                if (x != y) {
                    return Character.compare(x, y);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static final class Part {
        final int sequence;
        final String finalName;
        int attempts;
        Path temporary;
        boolean finished;

        Part(int sequence, String finalName) {
            this.sequence = sequence;
            this.finalName = finalName;
        }
    }
}
