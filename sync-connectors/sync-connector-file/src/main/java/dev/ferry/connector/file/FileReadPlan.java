package dev.ferry.connector.file;

import dev.ferry.api.SourcePlan;
import dev.ferry.api.SourceReader;
import dev.ferry.api.Split;
import java.nio.charset.Charset;
import java.util.Objects;

/**
 * How a csv or jsonl source reads its files, decided in PRE: the resolved schema, the encoding and
 * the format. A reader needs only this plan and its {@link FileSplit}, which names the file, so the
 * source's own readers and readers attached from the plan in another process
 * ({@link dev.ferry.api.SupportsAttach}) read each file the same way. Readers elsewhere need the
 * files at the same absolute paths (a shared or copied file system); the plan holds no file.
 *
 * <p>Threading: immutable; safe to share.
 */
sealed interface FileReadPlan extends SourcePlan permits CsvReadPlan, JsonlReadPlan {

    /** The connector whose source made the plan ({@code "csv"}), for messages. */
    String connector();

    /**
     * The files' character encoding by its canonical name, since a {@link Charset} does not
     * serialise; supported by the JVM the plan was made or read in.
     */
    String encoding();

    /** A reader of the file of {@code split}. */
    SourceReader reader(FileSplit split);

    /** A reader of {@code split}, which must be a {@link FileSplit}. */
    default SourceReader createReader(Split split) {
        if (!(split instanceof FileSplit file)) {
            throw new IllegalArgumentException("a " + connector() + " source reads FileSplit, got "
                    + (split == null ? "null" : split.getClass().getName()));
        }
        return reader(file);
    }

    /** The encoding as a charset. */
    default Charset charset() {
        return Charset.forName(encoding());
    }

    /**
     * Checks a plan's encoding where the plan is made or deserialised.
     *
     * @throws IllegalArgumentException naming the encoding when this JVM does not support it
     */
    static String supported(String encoding) {
        Objects.requireNonNull(encoding, "encoding");
        if (!Charset.isSupported(encoding)) {
            throw new IllegalArgumentException("encoding '" + encoding + "' of the plan is not supported by this JVM");
        }
        return encoding;
    }
}
