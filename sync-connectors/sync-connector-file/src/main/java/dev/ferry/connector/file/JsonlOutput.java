package dev.ferry.connector.file;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.RowBatch;
import dev.ferry.api.data.TableSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;

/**
 * JSON lines: one object per row, with every column as a key in schema order (null as
 * {@code null}) and typed values. Booleans are JSON booleans; int64, decimal (plain digits, scale
 * kept) and finite float64 values are JSON numbers; {@code NaN} and the infinities, which JSON
 * numbers cannot express, are strings; json columns are embedded as JSON, on one line; every other
 * type is a string in its {@link TextValues} form. The {@code jsonl} source reads all of these back
 * to the same values.
 *
 * <p>Design: Jackson's streaming {@link JsonGenerator} writes the objects and escapes keys and
 * strings: short escapes for backspace, tab, line feed, form feed and carriage return, six-character
 * escapes with lower-case hex digits for the other control characters, every other character as is.
 * A row with an invalid json value is rejected before any of it is written.
 *
 * <p>Threading: stateless; encoders are per writer.
 */
final class JsonlOutput implements OutputFormat {

    private static final JsonFactory JSON = new JsonFactoryBuilder()
            .rootValueSeparator((String) null)
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .build();

    @Override
    public String extension() {
        return ".jsonl";
    }

    @Override
    public String header(TableSchema schema) {
        return "";
    }

    @Override
    public Encoder encoder(TableSchema schema) {
        return new JsonlEncoder(schema);
    }

    /** Writes rows through one generator into whichever buffer {@link #encode} is given. */
    private static final class JsonlEncoder implements Encoder {

        private final int arity;
        private final DataType[] types;
        private final String[] names;
        private final int[] jsonColumns;
        private final BufferWriter sink = new BufferWriter();
        private final JsonGenerator generator;
        private final StringBuilder scratch = new StringBuilder(64);
        private char[] chars = new char[64];

        JsonlEncoder(TableSchema schema) {
            arity = schema.arity();
            types = new DataType[arity];
            names = new String[arity];
            int json = 0;
            for (int c = 0; c < arity; c++) {
                types[c] = schema.column(c).type();
                names[c] = schema.column(c).name();
                json += types[c] == DataType.JSON ? 1 : 0;
            }
            jsonColumns = new int[json];
            for (int c = 0, j = 0; c < arity; c++) {
                if (types[c] == DataType.JSON) {
                    jsonColumns[j++] = c;
                }
            }
            try {
                generator = JSON.createGenerator(sink);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String encode(RowBatch batch, int row, StringBuilder out) {
            for (int c : jsonColumns) {
                if (!batch.isNull(row, c)) {
                    String json = (String) batch.getObject(row, c);
                    if (!TextValues.isJson(json)) {
                        return new InvalidValueException(DataType.JSON, json, null).reason(names[c]);
                    }
                }
            }
            sink.out = out;
            try {
                JsonGenerator g = generator;
                g.writeStartObject();
                for (int c = 0; c < arity; c++) {
                    g.writeFieldName(names[c]);
                    if (batch.isNull(row, c)) {
                        g.writeNull();
                    } else {
                        writeValue(batch, row, c, types[c]);
                    }
                }
                g.writeEndObject();
                g.writeRaw('\n');
                g.flush();
            } catch (IOException e) {
                // The writer appends to a StringBuilder and never throws.
                throw new UncheckedIOException(e);
            } finally {
                sink.out = null;
            }
            return null;
        }

        private void writeValue(RowBatch batch, int row, int c, DataType type) throws IOException {
            JsonGenerator g = generator;
            switch (type) {
                case BOOLEAN -> g.writeBoolean(batch.getBoolean(row, c));
                case INT64 -> g.writeNumber(batch.getLong(row, c));
                // Plain digits whatever the scale (WRITE_BIGDECIMAL_AS_PLAIN would refuse scales beyond 9999).
                case DECIMAL -> g.writeNumber(((BigDecimal) batch.getObject(row, c)).toPlainString());
                case FLOAT64 -> {
                    double value = batch.getDouble(row, c);
                    if (Double.isFinite(value)) {
                        g.writeNumber(value);
                    } else {
                        g.writeString(Double.toString(value));
                    }
                }
                case STRING -> g.writeString((String) batch.getObject(row, c));
                case BYTES -> {
                    byte[] bytes = (byte[]) batch.getObject(row, c);
                    g.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, bytes, 0, bytes.length);
                }
                case JSON -> writeOnOneLine((String) batch.getObject(row, c));
                case NULL -> g.writeNull();
                default -> {
                    scratch.setLength(0);
                    TextValues.append(batch, row, c, type, scratch);
                    g.writeString(chars(scratch), 0, scratch.length());
                }
            }
        }

        /**
         * Writes valid JSON text with its line breaks turned into spaces: JSON strings cannot hold
         * raw line breaks, so every one is whitespace between tokens and the value is unchanged.
         */
        private void writeOnOneLine(String json) throws IOException {
            int length = json.length();
            char[] text = capacity(length);
            json.getChars(0, length, text, 0);
            for (int i = 0; i < length; i++) {
                if (text[i] == '\n' || text[i] == '\r') {
                    text[i] = ' ';
                }
            }
            generator.writeRawValue(text, 0, length);
        }

        private char[] chars(StringBuilder text) {
            char[] result = capacity(text.length());
            text.getChars(0, text.length(), result, 0);
            return result;
        }

        private char[] capacity(int length) {
            if (chars.length < length) {
                chars = new char[Math.max(length, chars.length * 2)];
            }
            return chars;
        }
    }

    /** The generator's target: appends to the buffer of the row being encoded. */
    private static final class BufferWriter extends Writer {

        StringBuilder out;

        @Override
        public void write(char[] buffer, int offset, int length) {
            out.append(buffer, offset, length);
        }

        @Override
        public void write(String text, int offset, int length) {
            out.append(text, offset, offset + length);
        }

        @Override
        public void write(int c) {
            out.append((char) c);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
