package dev.ferry.connector.file;

import dev.ferry.api.Split;
import java.util.Objects;

/**
 * One whole file of a csv or jsonl source. Files are never divided: a file split is read by one
 * reader from its first line to its last.
 *
 * <p>Threading: immutable; safe to share.
 *
 * @param id   unique within the plan: the file's name, followed by {@code #<position>} when several
 *             files of the plan share that name
 * @param path the file's absolute, normalised path
 */
public record FileSplit(String id, String path) implements Split {

    public FileSplit {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(path, "path");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("split id must not be empty");
        }
        if (path.isEmpty()) {
            throw new IllegalArgumentException("path of split '" + id + "' must not be empty");
        }
    }
}
