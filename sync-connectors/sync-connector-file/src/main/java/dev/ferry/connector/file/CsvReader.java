package dev.ferry.connector.file;

import dev.ferry.api.SourceReader;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.RecordSink;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.CancelledException;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Path;

/**
 * Reads one CSV file of a {@link CsvSource}.
 *
 * <p>A record whose field count differs from the header's (or, without a header, from the number
 * of columns), whose quoting is malformed, or one of whose fields does not convert to its
 * column's type is reported as dirty with the record's raw text; reading goes on. Empty lines are
 * skipped, except when each record has one field: then an empty line is a record whose field is
 * empty. An unquoted field equal to the format's null text is null.
 *
 * <p>Threading: {@code read} and {@code close} run on one reader thread; {@code cancel} may be
 * called from any thread.
 */
final class CsvReader implements SourceReader {

    private final FileSplit split;
    private final Path file;
    private final Charset encoding;
    private final CsvFormat format;
    private final TableSchema schema;
    private volatile boolean cancelled;

    CsvReader(FileSplit split, Path file, Charset encoding, CsvFormat format, TableSchema schema) {
        this.split = split;
        this.file = file;
        this.encoding = encoding;
        this.format = format;
        this.schema = schema;
    }

    @Override
    public void read(RecordSink sink) {
        CsvParser parser = null;
        try {
            parser = new CsvParser(TextFiles.open(file, encoding), format.delimiter(), format.quote());
            read(parser, sink);
        } catch (IOException e) {
            throw TextFiles.failure(file, encoding, parser == null ? 0 : parser.linesRead(), e);
        } finally {
            if (parser != null) {
                try {
                    parser.close();
                } catch (IOException e) {
                    // Read-only: nothing is lost by a failed close.
                }
            }
        }
    }

    private void read(CsvParser parser, RecordSink sink) throws IOException {
        final int arity = schema.arity();
        final int[] fieldOf = new int[arity];
        final DataType[] types = new DataType[arity];
        final String[] names = new String[arity];
        final boolean[] nullable = new boolean[arity];
        for (int c = 0; c < arity; c++) {
            types[c] = schema.column(c).type();
            names[c] = schema.column(c).name();
            nullable[c] = schema.column(c).nullable();
            fieldOf[c] = c;
        }
        final int expectedFields;
        if (format.header()) {
            if (!parser.next()) {
                return;
            }
            expectedFields = parser.fieldCount();
            mapByHeader(parser, names, fieldOf);
        } else {
            expectedFields = arity;
        }
        final String nullValue = format.nullValue();
        records:
        while (parser.next()) {
            if (cancelled) {
                throw new CancelledException("split '" + split.id() + "' was cancelled at line " + parser.line());
            }
            if (parser.isBlankLine() && expectedFields != 1) {
                continue;
            }
            if (parser.problem() != null) {
                sink.dirty(parser.problem(), parser.raw());
                continue;
            }
            if (parser.fieldCount() != expectedFields) {
                sink.dirty("record has " + parser.fieldCount() + " fields, expected " + expectedFields, parser.raw());
                continue;
            }
            for (int c = 0; c < arity; c++) {
                int f = fieldOf[c];
                if (parser.isUnquoted(f, nullValue)) {
                    if (!nullable[c]) {
                        sink.dirty("column '" + names[c] + "': null in a column that is not nullable", parser.raw());
                        continue records;
                    }
                    sink.setNull(c);
                    continue;
                }
                try {
                    TextValues.set(sink, c, types[c], parser.field(f));
                } catch (InvalidValueException e) {
                    sink.dirty(e.reason(names[c]), parser.raw());
                    continue records;
                }
            }
            sink.emit();
        }
    }

    private void mapByHeader(CsvParser parser, String[] names, int[] fieldOf) {
        for (int c = 0; c < names.length; c++) {
            fieldOf[c] = -1;
            for (int f = 0; f < parser.fieldCount(); f++) {
                if (parser.field(f).equals(names[c])) {
                    fieldOf[c] = f;
                    break;
                }
            }
            if (fieldOf[c] < 0) {
                throw new SyncException(ErrorKind.CONFIGURATION, "column '" + names[c] + "' is not in the header of '"
                        + file + "'");
            }
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
    }

    @Override
    public void close() {
        // read() closes the file it opens.
    }
}
