package dev.ferry.connector.file;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.ferry.api.SourceReader;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.RecordSink;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.CancelledException;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads one JSON-lines file of a {@link JsonlSource}: one JSON object per line, blank lines skipped.
 *
 * <p>Each column takes the value of the key with its name; keys that are no column are ignored,
 * and an absent key is null. JSON values convert naturally (numbers to numeric columns, {@code true}
 * and {@code false} to boolean); a JSON string converts through the text forms of
 * {@link TextValues}, which is how dates, times, timestamps and bytes are written, and how numbers
 * quoted as strings are accepted. A string column also takes a number or boolean as its JSON text;
 * a json column takes any value as its JSON text. A line that is not one JSON object, or whose
 * value does not fit its column, is reported as dirty with the line as its raw text.
 *
 * <p>Threading: {@code read} and {@code close} run on one reader thread; {@code cancel} may be
 * called from any thread.
 */
final class JsonlReader implements SourceReader {

    private static final JsonFactory JSON = new JsonFactory();

    private final FileSplit split;
    private final Path file;
    private final Charset encoding;
    private final Map<String, Integer> columnIndex = new HashMap<>();
    private final DataType[] types;
    private final String[] names;
    private final boolean[] nullable;
    /** The record number in which each column was last set, to find the absent ones. */
    private final long[] setIn;
    private long record;
    private volatile boolean cancelled;

    JsonlReader(FileSplit split, Path file, Charset encoding, TableSchema schema) {
        this.split = split;
        this.file = file;
        this.encoding = encoding;
        int arity = schema.arity();
        types = new DataType[arity];
        names = new String[arity];
        nullable = new boolean[arity];
        setIn = new long[arity];
        for (int c = 0; c < arity; c++) {
            types[c] = schema.column(c).type();
            names[c] = schema.column(c).name();
            nullable[c] = schema.column(c).nullable();
            columnIndex.put(names[c], c);
        }
    }

    @Override
    public void read(RecordSink sink) {
        CsvParser lines = null;
        try {
            lines = CsvParser.lines(TextFiles.open(file, encoding));
            while (lines.next()) {
                if (cancelled) {
                    throw new CancelledException("split '" + split.id() + "' was cancelled at line " + lines.line());
                }
                String line = lines.raw();
                if (!line.isBlank()) {
                    readLine(line, sink);
                }
            }
        } catch (IOException e) {
            throw TextFiles.failure(file, encoding, lines == null ? 0 : lines.linesRead(), e);
        } finally {
            if (lines != null) {
                try {
                    lines.close();
                } catch (IOException e) {
                    // Read-only: nothing is lost by a failed close.
                }
            }
        }
    }

    private void readLine(String line, RecordSink sink) {
        long current = ++record;
        try (JsonParser parser = JSON.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                sink.dirty("line is not a JSON object", line);
                return;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                Integer column = columnIndex.get(parser.currentName());
                JsonToken token = parser.nextToken();
                if (column == null) {
                    parser.skipChildren();
                    continue;
                }
                int c = column;
                String reason = set(parser, token, c, line, sink);
                if (reason != null) {
                    sink.dirty(reason, line);
                    return;
                }
                setIn[c] = current;
            }
            if (parser.nextToken() != null) {
                sink.dirty("line has more than one JSON value", line);
                return;
            }
        } catch (JsonProcessingException e) {
            sink.dirty("line is not valid JSON: " + e.getOriginalMessage(), line);
            return;
        } catch (IOException e) {
            sink.dirty("line is not valid JSON: " + e.getMessage(), line);
            return;
        }
        for (int c = 0; c < setIn.length; c++) {
            if (setIn[c] != current) {
                if (!nullable[c]) {
                    sink.dirty("column '" + names[c] + "': missing in a column that is not nullable", line);
                    return;
                }
                sink.setNull(c);
            }
        }
        sink.emit();
    }

    /** Sets column {@code c} from the current token; returns why it cannot, or null. */
    private String set(JsonParser parser, JsonToken token, int c, String line, RecordSink sink) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            if (!nullable[c]) {
                return "column '" + names[c] + "': null in a column that is not nullable";
            }
            sink.setNull(c);
            return null;
        }
        DataType type = types[c];
        try {
            switch (type) {
                case BOOLEAN -> {
                    if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
                        sink.setBoolean(c, token == JsonToken.VALUE_TRUE);
                    } else {
                        sink.setBoolean(c, TextValues.parseBoolean(stringOrInvalid(parser, token, type, line)));
                    }
                }
                case INT64 -> {
                    if (token == JsonToken.VALUE_NUMBER_INT) {
                        if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                            throw new InvalidValueException(type, parser.getText(), "out of range");
                        }
                        sink.setLong(c, parser.getLongValue());
                    } else {
                        sink.setLong(c, TextValues.parseInt64(stringOrInvalid(parser, token, type, line)));
                    }
                }
                case DECIMAL -> {
                    if (token.isNumeric()) {
                        sink.setObject(c, parser.getDecimalValue());
                    } else {
                        sink.setObject(c, TextValues.parseDecimal(stringOrInvalid(parser, token, type, line)));
                    }
                }
                case FLOAT64 -> {
                    if (token.isNumeric()) {
                        sink.setDouble(c, parser.getDoubleValue());
                    } else {
                        sink.setDouble(c, TextValues.parseFloat64(stringOrInvalid(parser, token, type, line)));
                    }
                }
                case STRING -> {
                    if (token.isStructStart()) {
                        throw new InvalidValueException(type, valueText(parser, token, line), null);
                    }
                    sink.setObject(c, parser.getText());
                }
                case JSON -> sink.setObject(c, valueText(parser, token, line));
                case NULL -> throw new InvalidValueException(type, valueText(parser, token, line),
                        "a null column holds no values");
                default -> TextValues.set(sink, c, type, stringOrInvalid(parser, token, type, line));
            }
        } catch (InvalidValueException e) {
            return e.reason(names[c]);
        }
        return null;
    }

    /** The current token's text when it is a JSON string, else the value fails to convert. */
    private static String stringOrInvalid(JsonParser parser, JsonToken token, DataType type, String line)
            throws IOException {
        if (token == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        throw new InvalidValueException(type, valueText(parser, token, line), null);
    }

    /**
     * The current value exactly as the line spells it (a scalar, or a whole object or array);
     * leaves the parser on the value's last token.
     */
    static String valueText(JsonParser parser, JsonToken token, String line) throws IOException {
        int start = (int) parser.currentTokenLocation().getCharOffset();
        if (token.isStructStart()) {
            parser.skipChildren();
        } else if (token == JsonToken.VALUE_STRING) {
            parser.finishToken();
        }
        int end = (int) parser.currentLocation().getCharOffset();
        return line.substring(start, end);
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
