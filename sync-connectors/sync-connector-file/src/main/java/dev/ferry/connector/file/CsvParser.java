package dev.ferry.connector.file;

import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.util.Arrays;

/**
 * Splits character input into CSV records (RFC 4180): fields separated by a delimiter, records by
 * {@code \n}, {@code \r\n} or {@code \r}; a field that starts with the quote character runs to the
 * matching quote and may hold delimiters, line breaks and doubled quotes. A quote inside an
 * unquoted field is kept as is. Text after a closing quote, or a quote left open at the end of
 * the input, marks the record with a {@link #problem()} instead of failing the whole input. A
 * leading byte-order mark is skipped.
 *
 * <p>Design: the current record's raw text stays contiguous in one buffer (compacted on refill,
 * doubled when a record outgrows it, up to {@value #MAX_RECORD_CHARS} characters), so
 * {@link #raw()} costs nothing until called; field contents are copied, unescaped, into a second
 * array and addressed by offsets, so reading a record allocates nothing. Memory is bounded by the
 * longest record, whatever the input size.
 *
 * <p>Threading: not thread-safe; one reader thread owns a parser.
 */
final class CsvParser implements Closeable {

    /** Longest record accepted; longer ones almost always come from a quote that is never closed. */
    static final int MAX_RECORD_CHARS = 16 << 20;

    private static final int NONE = -1;
    private static final int FIELD_START = 0;
    private static final int UNQUOTED = 1;
    private static final int QUOTED = 2;
    private static final int AFTER_QUOTE = 3;

    private final Reader in;
    private final int delimiter;
    private final int quote;
    private final int maxRecordChars;

    private char[] buf;
    private int pos;
    private int limit;
    private int recordStart;
    private int rawEnd;
    private boolean eof;
    private boolean atStart = true;
    private boolean skipLineFeed;
    private long lineBreaks;
    private long recordLine;

    private char[] values = new char[256];
    private int valuesLength;
    private int[] fieldStarts = new int[16];
    private int[] fieldEnds = new int[16];
    private boolean[] fieldQuoted = new boolean[16];
    private int fieldCount;
    private String problem;

    CsvParser(Reader in, char delimiter, char quote) {
        this(in, delimiter, quote, 64 * 1024, MAX_RECORD_CHARS);
    }

    /** For tests: a small initial buffer exercises refills, a small maximum the size guard. */
    CsvParser(Reader in, int delimiter, int quote, int bufferSize, int maxRecordChars) {
        this.in = in;
        this.delimiter = delimiter;
        this.quote = quote;
        this.buf = new char[Math.max(bufferSize, 1)];
        this.maxRecordChars = maxRecordChars;
    }

    /** A parser that only splits lines: each record is one line, in one field, with no quoting. */
    static CsvParser lines(Reader in) {
        return new CsvParser(in, NONE, NONE, 64 * 1024, MAX_RECORD_CHARS);
    }

    /**
     * Reads the next record.
     *
     * @return false at the end of the input (a final line break does not start an empty record)
     * @throws IOException   when reading or decoding the input fails
     * @throws SyncException of kind DATA when a record exceeds {@value #MAX_RECORD_CHARS} characters
     */
    boolean next() throws IOException {
        fieldCount = 0;
        valuesLength = 0;
        problem = null;
        recordStart = pos;
        if (pos == limit && !fill()) {
            return false;
        }
        if (atStart) {
            atStart = false;
            if (buf[pos] == '\uFEFF' && (++pos == limit && !fill())) {
                return false;
            }
        }
        if (skipLineFeed) {
            skipLineFeed = false;
            if (buf[pos] == '\n' && (++pos == limit && !fill())) {
                return false;
            }
        }
        recordStart = pos;
        recordLine = lineBreaks + 1;
        beginField();
        int state = FIELD_START;
        while (true) {
            if (pos == limit && !fill()) {
                if (state == QUOTED) {
                    problem = "field " + (fieldCount + 1) + " has a quote that is never closed";
                }
                rawEnd = limit;
                endField();
                return true;
            }
            switch (state) {
                case FIELD_START -> {
                    if (buf[pos] == quote) {
                        pos++;
                        fieldQuoted[fieldCount] = true;
                        state = QUOTED;
                    } else {
                        state = UNQUOTED;
                    }
                }
                case UNQUOTED -> {
                    final char[] b = buf;
                    final int end = limit;
                    int p = pos;
                    char c = 0;
                    while (p < end) {
                        c = b[p];
                        if (c == delimiter || c == '\n' || c == '\r') {
                            break;
                        }
                        p++;
                    }
                    append(b, pos, p - pos);
                    pos = p;
                    if (p < end) {
                        pos++;
                        if (c == delimiter) {
                            endField();
                            beginField();
                            state = FIELD_START;
                        } else {
                            rawEnd = p;
                            endField();
                            endLine(c);
                            return true;
                        }
                    }
                }
                case QUOTED -> {
                    final char[] b = buf;
                    final int end = limit;
                    int p = pos;
                    while (p < end && b[p] != quote) {
                        if (b[p] == '\n') {
                            lineBreaks++;
                        }
                        p++;
                    }
                    append(b, pos, p - pos);
                    pos = p;
                    if (p < end) {
                        pos++;
                        state = AFTER_QUOTE;
                    }
                }
                default -> {
                    char c = buf[pos];
                    if (c == quote) {
                        appendChar(c);
                        pos++;
                        state = QUOTED;
                    } else if (c == delimiter) {
                        pos++;
                        endField();
                        beginField();
                        state = FIELD_START;
                    } else if (c == '\n' || c == '\r') {
                        rawEnd = pos;
                        pos++;
                        endField();
                        endLine(c);
                        return true;
                    } else {
                        if (problem == null) {
                            problem = "field " + (fieldCount + 1) + " has text after its closing quote";
                        }
                        state = UNQUOTED;
                    }
                }
            }
        }
    }

    /** Fields in the current record, at least 1. */
    int fieldCount() {
        return fieldCount;
    }

    /** The unescaped text of field {@code index}. */
    String field(int index) {
        return new String(values, fieldStarts[index], fieldEnds[index] - fieldStarts[index]);
    }

    /** Whether field {@code index} was enclosed in quotes (and so is never the null text). */
    boolean quoted(int index) {
        return fieldQuoted[index];
    }

    /** Whether field {@code index} is unquoted and reads exactly {@code text}. */
    boolean isUnquoted(int index, String text) {
        if (fieldQuoted[index]) {
            return false;
        }
        int start = fieldStarts[index];
        int length = fieldEnds[index] - start;
        if (length != text.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (values[start + i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the record is an empty line. */
    boolean isBlankLine() {
        return rawEnd == recordStart && fieldCount == 1 && !fieldQuoted[0];
    }

    /** Why the record is malformed, or null. */
    String problem() {
        return problem;
    }

    /** The record as it appears in the input, without its line break. */
    String raw() {
        return new String(buf, recordStart, rawEnd - recordStart);
    }

    /** The 1-based line on which the current record starts. */
    long line() {
        return recordLine;
    }

    /** Lines read completely so far, for messages about input errors. */
    long linesRead() {
        return lineBreaks;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private void endLine(char c) {
        lineBreaks++;
        if (c == '\r') {
            skipLineFeed = true;
        }
    }

    private void beginField() {
        if (fieldCount == fieldStarts.length) {
            int size = fieldCount * 2;
            fieldStarts = Arrays.copyOf(fieldStarts, size);
            fieldEnds = Arrays.copyOf(fieldEnds, size);
            fieldQuoted = Arrays.copyOf(fieldQuoted, size);
        }
        fieldStarts[fieldCount] = valuesLength;
        fieldQuoted[fieldCount] = false;
    }

    private void endField() {
        fieldEnds[fieldCount] = valuesLength;
        fieldCount++;
    }

    private void append(char[] source, int offset, int length) {
        if (length == 0) {
            return;
        }
        if (valuesLength + length > values.length) {
            values = Arrays.copyOf(values, Math.max(values.length * 2, valuesLength + length));
        }
        System.arraycopy(source, offset, values, valuesLength, length);
        valuesLength += length;
    }

    private void appendChar(char c) {
        if (valuesLength == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        values[valuesLength++] = c;
    }

    /**
     * Reads more input after {@code limit}, first moving the current record to the start of the
     * buffer and growing the buffer when the record fills it.
     *
     * @return false at the end of the input
     */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        if (recordStart > 0) {
            int keep = limit - recordStart;
            System.arraycopy(buf, recordStart, buf, 0, keep);
            pos -= recordStart;
            limit = keep;
            recordStart = 0;
        }
        if (limit == buf.length) {
            if (buf.length >= maxRecordChars) {
                throw new SyncException(ErrorKind.DATA, "record starting on line " + recordLine + " is longer than "
                        + maxRecordChars + " characters; is a quote never closed?");
            }
            buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, maxRecordChars));
        }
        int n;
        do {
            n = in.read(buf, limit, buf.length - limit);
        } while (n == 0);
        if (n < 0) {
            eof = true;
            return false;
        }
        limit += n;
        return true;
    }
}
