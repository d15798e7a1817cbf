package dev.ferry.connector.file;

import dev.ferry.api.Split;
import dev.ferry.api.TargetWriter;
import dev.ferry.api.WriterContext;
import dev.ferry.api.data.RowBatch;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.CharBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes the splits of one channel into the temporary part files of a {@link FileTarget}.
 *
 * <p>Rows of a batch are encoded into one buffer and written with one call; a row the format
 * cannot encode (invalid JSON in a json column, a character the encoding lacks) is reported
 * dirty and left out. {@link #finishSplit} forces the part to disk.
 *
 * <p>Threading: used by one channel thread.
 */
final class FileTargetWriter implements TargetWriter {

    private static final int BUFFER_CHARS = 64 * 1024;

    private final FileTarget target;
    private final WriterContext context;
    private final Charset encoding;
    /** Null for encodings that hold every character (the UTF family), which need no check per row. */
    private final CharsetEncoder coverage;
    private final StringBuilder text = new StringBuilder(BUFFER_CHARS);
    private char[] chars = new char[BUFFER_CHARS];

    private TableSchema encoderSchema;
    private OutputFormat.Encoder encoder;

    private String splitId;
    private Path part;
    private FileChannel channel;
    private Writer out;

    FileTargetWriter(FileTarget target, WriterContext context) {
        this.target = target;
        this.context = context;
        this.encoding = target.settings().encoding();
        this.coverage = encoding.name().startsWith("UTF-") ? null : encoding.newEncoder();
    }

    @Override
    public void startSplit(Split split) {
        if (splitId != null) {
            abortSplit();
        }
        splitId = split.id();
        part = target.beginPart(splitId);
        try {
            channel = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            out = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(channel), encoding.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)), BUFFER_CHARS);
            out.write(target.partHeader());
        } catch (IOException e) {
            throw TextFiles.failure(part, encoding, -1, e);
        }
    }

    @Override
    public void write(RowBatch batch) {
        if (out == null) {
            throw new SyncException(ErrorKind.INTERNAL, "file target: write() outside a split");
        }
        TableSchema schema = batch.schema();
        if (schema != encoderSchema) {
            encoder = target.format().encoder(schema);
            encoderSchema = schema;
        }
        StringBuilder text = this.text;
        text.setLength(0);
        for (int row = 0, n = batch.size(); row < n; row++) {
            int start = text.length();
            String reason = encoder.encode(batch, row, text);
            if (reason == null && coverage != null && !coverage.canEncode(CharBuffer.wrap(text, start, text.length()))) {
                reason = "row has characters that " + encoding.name() + " cannot encode";
            }
            if (reason != null) {
                text.setLength(start);
                context.reportDirty(batch, row, reason);
            }
        }
        int length = text.length();
        if (chars.length < length) {
            chars = new char[Math.max(length, chars.length * 2)];
        }
        text.getChars(0, length, chars, 0);
        try {
            out.write(chars, 0, length);
        } catch (IOException e) {
            throw TextFiles.failure(part, encoding, -1, e);
        }
        if (text.capacity() > 4 * BUFFER_CHARS && length < BUFFER_CHARS) {
            text.setLength(0);
            text.trimToSize();
        }
    }

    @Override
    public void finishSplit() {
        if (out == null) {
            throw new SyncException(ErrorKind.INTERNAL, "file target: finishSplit() outside a split");
        }
        try {
            out.flush();
            channel.force(true);
            out.close();
        } catch (IOException e) {
            throw TextFiles.failure(part, encoding, -1, e);
        }
        target.finishPart(splitId);
        clear();
    }

    @Override
    public void abortSplit() {
        if (splitId == null) {
            return;
        }
        closeQuietly();
        target.abortPart(splitId);
        clear();
    }

    @Override
    public void close() {
        abortSplit();
    }

    private void closeQuietly() {
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException | RuntimeException e) {
            // The part is deleted next; what it held does not matter.
        }
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // As above.
        }
    }

    private void clear() {
        splitId = null;
        part = null;
        channel = null;
        out = null;
    }
}
