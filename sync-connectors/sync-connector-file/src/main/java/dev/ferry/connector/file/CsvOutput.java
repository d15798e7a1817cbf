package dev.ferry.connector.file;

import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import java.util.Objects;

/**
 * CSV lines in the text forms of {@link TextValues}, ended by {@code \n}. A field is quoted when it
 * holds the delimiter, the quote, a line break or a leading byte-order mark, or when its text equals
 * the null text (so an empty string and null stay apart); quotes inside are doubled. Null is the
 * null text, unquoted.
 *
 * <p>Threading: immutable; encoders are per writer.
 *
 * @param format the layout, shared with the csv source so that the files read back
 */
record CsvOutput(CsvFormat format) implements OutputFormat {

    CsvOutput {
        Objects.requireNonNull(format, "format");
    }

    @Override
    public String extension() {
        return ".csv";
    }

    @Override
    public String header(TableSchema schema) {
        if (!format.header()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (int c = 0; c < schema.arity(); c++) {
            if (c > 0) {
                out.append(format.delimiter());
            }
            int start = out.length();
            out.append(schema.column(c).name());
            quoteIfNeeded(out, start);
        }
        return out.append('\n').toString();
    }

    @Override
    public Encoder encoder(TableSchema schema) {
        DataType[] types = new DataType[schema.arity()];
        for (int c = 0; c < types.length; c++) {
            types[c] = schema.column(c).type();
        }
        char delimiter = format.delimiter();
        String nullValue = format.nullValue();
        return (batch, row, out) -> {
            for (int c = 0; c < types.length; c++) {
                if (c > 0) {
                    out.append(delimiter);
                }
                if (batch.isNull(row, c)) {
                    out.append(nullValue);
                } else {
                    int start = out.length();
                    TextValues.append(batch, row, c, types[c], out);
                    quoteIfNeeded(out, start);
                }
            }
            out.append('\n');
            return null;
        };
    }

    /** Quotes the field that starts at {@code start} and runs to the end of {@code out}, if it must be. */
    private void quoteIfNeeded(StringBuilder out, int start) {
        char delimiter = format.delimiter();
        char quote = format.quote();
        int end = out.length();
        boolean needed = equalsNullValue(out, start, end) || (end > start && out.charAt(start) == '\uFEFF');
        for (int i = start; i < end && !needed; i++) {
            char c = out.charAt(i);
            needed = c == delimiter || c == quote || c == '\n' || c == '\r';
        }
        if (!needed) {
            return;
        }
        String text = out.substring(start, end);
        out.setLength(start);
        out.append(quote);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == quote) {
                out.append(quote);
            }
            out.append(c);
        }
        out.append(quote);
    }

    private boolean equalsNullValue(StringBuilder out, int start, int end) {
        String nullValue = format.nullValue();
        if (end - start != nullValue.length()) {
            return false;
        }
        for (int i = 0; i < nullValue.length(); i++) {
            if (out.charAt(start + i) != nullValue.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
