package dev.ferry.connector.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CsvParserTest {

    /** A parsed record: its fields, which were quoted, its raw text and problem. */
    record Parsed(List<String> fields, List<Boolean> quoted, String raw, String problem, long line) {
    }

    private static List<Parsed> parse(String input, int bufferSize) throws IOException {
        return parse(input, ',', '"', bufferSize);
    }

    private static List<Parsed> parse(String input, int delimiter, int quote, int bufferSize) throws IOException {
        List<Parsed> records = new ArrayList<>();
        try (CsvParser parser = new CsvParser(new StringReader(input), delimiter, quote, bufferSize,
                CsvParser.MAX_RECORD_CHARS)) {
            while (parser.next()) {
                List<String> fields = new ArrayList<>();
                List<Boolean> quoted = new ArrayList<>();
                for (int i = 0; i < parser.fieldCount(); i++) {
                    fields.add(parser.field(i));
                    quoted.add(parser.quoted(i));
                }
                records.add(new Parsed(fields, quoted, parser.raw(), parser.problem(), parser.line()));
            }
        }
        return records;
    }

    private static List<List<String>> fields(String input, int bufferSize) throws IOException {
        return parse(input, bufferSize).stream().map(Parsed::fields).toList();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 65536})
    void splitsPlainFieldsAndRecords(int bufferSize) throws IOException {
        assertEquals(List.of(List.of("a", "b", "c"), List.of("1", "2", "3")), fields("a,b,c\n1,2,3\n", bufferSize));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 65536})
    void aFinalLineBreakIsOptional(int bufferSize) throws IOException {
        assertEquals(List.of(List.of("a", "b"), List.of("c", "d")), fields("a,b\nc,d", bufferSize));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 65536})
    void acceptsCrLfAndLoneCr(int bufferSize) throws IOException {
        assertEquals(List.of(List.of("a"), List.of("b"), List.of("c"), List.of("d")),
                fields("a\r\nb\rc\nd\r\n", bufferSize));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 65536})
    void quotedFieldsHoldDelimitersQuotesAndLineBreaks(int bufferSize) throws IOException {
        String input = "\"a,b\",\"say \"\"hi\"\"\",\"line1\nline2\r\nline3\"\nnext,\"\",x\n";
        List<Parsed> records = parse(input, bufferSize);
        assertEquals(2, records.size());
        assertEquals(List.of("a,b", "say \"hi\"", "line1\nline2\r\nline3"), records.get(0).fields());
        assertEquals(List.of(true, true, true), records.get(0).quoted());
        assertEquals("\"a,b\",\"say \"\"hi\"\"\",\"line1\nline2\r\nline3\"", records.get(0).raw());
        assertEquals(List.of("next", "", "x"), records.get(1).fields());
        assertEquals(List.of(false, true, false), records.get(1).quoted());
        assertEquals(1, records.get(0).line());
        assertEquals(4, records.get(1).line(), "the quoted line breaks count");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 65536})
    void keepsEmptyFields(int bufferSize) throws IOException {
        List<Parsed> records = parse(",,\n,\n", bufferSize);
        assertEquals(List.of(List.of("", "", ""), List.of("", "")), records.stream().map(Parsed::fields).toList());
        assertEquals(List.of(false, false, false), records.get(0).quoted());
    }

    @Test
    void aBlankLineIsOneEmptyField() throws IOException {
        try (CsvParser parser = new CsvParser(new StringReader("a\n\n\"\"\nb"), ',', '"')) {
            assertTrue(parser.next());
            assertFalse(parser.isBlankLine());
            assertTrue(parser.next());
            assertTrue(parser.isBlankLine());
            assertEquals(1, parser.fieldCount());
            assertEquals("", parser.raw());
            assertTrue(parser.next());
            assertFalse(parser.isBlankLine(), "a quoted empty field is not a blank line");
            assertTrue(parser.next());
            assertEquals("b", parser.field(0));
            assertFalse(parser.next());
            assertFalse(parser.next(), "stays at the end");
        }
    }

    @Test
    void anEmptyInputHasNoRecords() throws IOException {
        assertEquals(List.of(), parse("", 16));
        assertEquals(List.of(List.of("")), fields("\n", 16));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 65536})
    void skipsALeadingByteOrderMark(int bufferSize) throws IOException {
        assertEquals(List.of(List.of("id", "name"), List.of("\uFEFFx", "y")), fields("\uFEFFid,name\n\uFEFFx,y\n", bufferSize));
        assertEquals(List.of(), fields("\uFEFF", bufferSize));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 65536})
    void quotesInsideUnquotedFieldsAreText(int bufferSize) throws IOException {
        List<Parsed> records = parse("5\" disk,a\"b\n", bufferSize);
        assertEquals(List.of("5\" disk", "a\"b"), records.get(0).fields());
        assertNull(records.get(0).problem());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 65536})
    void textAfterAClosingQuoteIsAProblemOfThatRecordOnly(int bufferSize) throws IOException {
        List<Parsed> records = parse("\"ab\"cd,e\nf,g\n", bufferSize);
        assertEquals(2, records.size());
        assertEquals("field 1 has text after its closing quote", records.get(0).problem());
        assertEquals(List.of("abcd", "e"), records.get(0).fields());
        assertEquals("\"ab\"cd,e", records.get(0).raw());
        assertNull(records.get(1).problem());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 65536})
    void aQuoteNeverClosedRunsToTheEnd(int bufferSize) throws IOException {
        List<Parsed> records = parse("a,b\nc,\"d\ne,f\n", bufferSize);
        assertEquals(2, records.size());
        assertEquals("field 2 has a quote that is never closed", records.get(1).problem());
        assertEquals("c,\"d\ne,f\n", records.get(1).raw());
    }

    @Test
    void honoursOtherDelimitersAndQuotes() throws IOException {
        List<Parsed> records = parse("a;'b;c';'it''s'\n", ';', '\'', 8);
        assertEquals(List.of("a", "b;c", "it's"), records.get(0).fields());
        List<Parsed> tabs = parse("a\t\"b\"\tc\n", '\t', '"', 8);
        assertEquals(List.of("a", "b", "c"), tabs.get(0).fields());
    }

    @Test
    void linesModeKeepsEachLineWhole() throws IOException {
        try (CsvParser parser = CsvParser.lines(new StringReader("{\"a\":\"x,y\"}\r\n{\"b\":\"\\\"\"}\n"))) {
            assertTrue(parser.next());
            assertEquals(1, parser.fieldCount());
            assertEquals("{\"a\":\"x,y\"}", parser.raw());
            assertTrue(parser.next());
            assertEquals("{\"b\":\"\\\"\"}", parser.raw());
            assertEquals(2, parser.line());
            assertFalse(parser.next());
        }
    }

    @Test
    void comparesUnquotedFieldsWithoutCopying() throws IOException {
        try (CsvParser parser = new CsvParser(new StringReader("NULL,\"NULL\",,\"\"\n"), ',', '"')) {
            assertTrue(parser.next());
            assertTrue(parser.isUnquoted(0, "NULL"));
            assertFalse(parser.isUnquoted(1, "NULL"));
            assertTrue(parser.isUnquoted(2, ""));
            assertFalse(parser.isUnquoted(3, ""));
            assertFalse(parser.isUnquoted(0, "NUL"));
        }
    }

    @Test
    void handlesManyFieldsAndLongValues() throws IOException {
        String longValue = "x".repeat(100_000);
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            input.append(i).append(',');
        }
        input.append('"').append(longValue).append("\"\n");
        List<Parsed> records = parse(input.toString(), 16);
        assertEquals(51, records.get(0).fields().size());
        assertEquals(longValue, records.get(0).fields().get(50));
    }

    @Test
    void refusesARecordLongerThanTheLimit() {
        String input = "a,b\n\"" + "y".repeat(1000);
        SyncException e = assertThrows(SyncException.class, () -> {
            try (CsvParser parser = new CsvParser(new StringReader(input), ',', '"', 16, 256)) {
                while (parser.next()) {
                    // read on
                }
            }
        });
        assertEquals(ErrorKind.DATA, e.kind());
        assertEquals("record starting on line 2 is longer than 256 characters; is a quote never closed?", e.getMessage());
    }

    @Test
    void memoryStaysBoundedForManyRecords() throws IOException {
        // A reader that produces 200,000 lines lazily; the parser must not accumulate them.
        java.io.Reader endless = new java.io.Reader() {
            private final char[] line = "12345,abcdef,\"q,q\"\n".toCharArray();
            private long produced;

            @Override
            public int read(char[] cbuf, int off, int len) {
                if (produced >= 200_000L * line.length) {
                    return -1;
                }
                int n = 0;
                while (n < len && produced < 200_000L * line.length) {
                    cbuf[off + n++] = line[(int) (produced++ % line.length)];
                }
                return n;
            }

            @Override
            public void close() {
            }
        };
        long records = 0;
        try (CsvParser parser = new CsvParser(endless, ',', '"', 1024, 4096)) {
            while (parser.next()) {
                assertEquals("q,q", parser.field(2));
                records++;
            }
        }
        assertEquals(200_000, records);
    }
}
