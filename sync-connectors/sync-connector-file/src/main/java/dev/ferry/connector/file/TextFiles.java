package dev.ferry.connector.file;

import dev.ferry.api.error.CancelledException;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.Reader;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Opens text files strictly and names their failures: bytes that are not valid in the file's
 * encoding fail the read instead of turning silently into replacement characters.
 *
 * <p>Threading: stateless; safe to call from any thread.
 */
final class TextFiles {

    private TextFiles() {
    }

    /** A reader of {@code file} that fails on malformed or unmappable input. */
    static Reader open(Path file, Charset encoding) throws IOException {
        return new InputStreamReader(Files.newInputStream(file), encoding.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT));
    }

    /**
     * The exception to throw for an I/O failure while reading or writing {@code file}: a
     * {@link CancelledException} (with the interrupt flag restored) when the thread was interrupted,
     * a DATA failure for undecodable text, an EXTERNAL one otherwise.
     *
     * @param linesRead how many whole lines were read before the failure (the decoder reads ahead,
     *                  so undecodable bytes lie somewhere after them); -1 when writing
     */
    static SyncException failure(Path file, Charset encoding, long linesRead, IOException e) {
        if (e instanceof ClosedByInterruptException || e instanceof InterruptedIOException) {
            Thread.currentThread().interrupt();
            return new CancelledException("reading or writing '" + file + "' was interrupted");
        }
        if (e instanceof CharacterCodingException) {
            return new SyncException(ErrorKind.DATA, "file '" + file + "' is not valid " + encoding.name()
                    + (linesRead > 0 ? " (somewhere after line " + linesRead + ")" : ""), e);
        }
        if (e instanceof NoSuchFileException) {
            return new SyncException(ErrorKind.EXTERNAL, "file '" + file + "' does not exist (any more)", e);
        }
        String action = linesRead >= 0 ? "cannot read '" : "cannot write '";
        return new SyncException(ErrorKind.EXTERNAL, action + file + "': " + e, e);
    }
}
