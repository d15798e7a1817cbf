package dev.ferry.connector.file;

import dev.ferry.api.data.DataType;
import dev.ferry.api.data.RowBatch;
import dev.ferry.api.data.TableSchema;
import java.math.BigDecimal;
import java.util.Base64;

/**
 * JSON lines: one object per row, with every column as a key in schema order (null as
 * {@code null}) and typed values. Booleans are JSON booleans; int64, decimal (plain digits, scale
 * kept) and finite float64 values are JSON numbers; {@code NaN} and the infinities, which JSON
 * numbers cannot express, are strings; json columns are embedded as JSON, on one line; every other
 * type is a string in its {@link TextValues} form. The {@code jsonl} source reads all of these back
 * to the same values.
 *
 * <p>Threading: stateless; encoders are per writer.
 */
final class JsonlOutput implements OutputFormat {

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
        int arity = schema.arity();
        DataType[] types = new DataType[arity];
        String[] names = new String[arity];
        String[] keys = new String[arity];
        for (int c = 0; c < arity; c++) {
            types[c] = schema.column(c).type();
            names[c] = schema.column(c).name();
            StringBuilder key = new StringBuilder(c == 0 ? "{" : ",");
            appendString(names[c], key);
            keys[c] = key.append(':').toString();
        }
        return (batch, row, out) -> {
            for (int c = 0; c < arity; c++) {
                out.append(keys[c]);
                if (batch.isNull(row, c)) {
                    out.append("null");
                    continue;
                }
                String reason = appendValue(batch, row, c, types[c], names[c], out);
                if (reason != null) {
                    return reason;
                }
            }
            out.append("}\n");
            return null;
        };
    }

    private static String appendValue(RowBatch batch, int row, int c, DataType type, String name, StringBuilder out) {
        switch (type) {
            case BOOLEAN -> out.append(batch.getBoolean(row, c));
            case INT64 -> out.append(batch.getLong(row, c));
            case DECIMAL -> out.append(((BigDecimal) batch.getObject(row, c)).toPlainString());
            case FLOAT64 -> {
                double value = batch.getDouble(row, c);
                if (Double.isFinite(value)) {
                    out.append(value);
                } else {
                    out.append('"').append(value).append('"');
                }
            }
            case STRING -> appendString((String) batch.getObject(row, c), out);
            case BYTES -> out.append('"').append(Base64.getEncoder().encodeToString((byte[]) batch.getObject(row, c)))
                    .append('"');
            case JSON -> {
                String json = (String) batch.getObject(row, c);
                if (!TextValues.isJson(json)) {
                    return new InvalidValueException(DataType.JSON, json, null).reason(name);
                }
                appendOnOneLine(json, out);
            }
            case NULL -> out.append("null");
            default -> {
                out.append('"');
                TextValues.append(batch, row, c, type, out);
                out.append('"');
            }
        }
        return null;
    }

    /**
     * Appends valid JSON text with its line breaks turned into spaces: JSON strings cannot hold raw
     * line breaks, so every one is whitespace between tokens and the value is unchanged.
     */
    private static void appendOnOneLine(String json, StringBuilder out) {
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            out.append(c == '\n' || c == '\r' ? ' ' : c);
        }
    }

    /** Appends a JSON string literal. */
    static void appendString(String text, StringBuilder out) {
        out.append('"');
        int runStart = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            out.append(text, runStart, i);
            runStart = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    out.append("\\u00");
                    out.append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xF, 16));
                }
            }
        }
        out.append(text, runStart, text.length()).append('"');
    }
}
