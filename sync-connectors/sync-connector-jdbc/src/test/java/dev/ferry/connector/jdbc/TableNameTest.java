package dev.ferry.connector.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.api.error.ConfigException;
import org.junit.jupiter.api.Test;

class TableNameTest {

    @Test
    void parsesPlainAndQualifiedNames() {
        assertEquals(new TableName(null, "orders"), TableName.parse("source.table", "orders"));
        assertEquals(new TableName("public", "orders"), TableName.parse("source.table", "public.orders"));
    }

    @Test
    void quotedPartsMayHoldDotsAndQuotes() {
        assertEquals(new TableName("my.schema", "Order \"A\""), TableName.parse("t", "\"my.schema\".\"Order \"\"A\"\"\""));
        assertEquals(new TableName("db", "a.b"), TableName.parse("t", "db.`a.b`"));
    }

    @Test
    void hostileTextIsJustAName() {
        TableName name = TableName.parse("t", "Ord\"ers; DROP TABLE x --");
        assertEquals(new TableName(null, "Ord\"ers; DROP TABLE x --"), name);
        assertEquals("\"Ord\"\"ers; DROP TABLE x --\"", new GenericDialect().sql().quoteTable(name));
    }

    @Test
    void rejectsMalformedNamesWithTheKey() {
        assertEquals("invalid job: source.table must be 'table' or 'schema.table' (quote a name that holds a dot: \"a.b\"), got 'a.b.c'",
                assertThrows(ConfigException.class, () -> TableName.parse("source.table", "a.b.c")).getMessage());
        assertEquals("invalid job: source.table has an unclosed \" quote, got '\"abc'",
                assertThrows(ConfigException.class, () -> TableName.parse("source.table", "\"abc")).getMessage());
        assertEquals("invalid job: target.table must not have an empty part, got 'a.'",
                assertThrows(ConfigException.class, () -> TableName.parse("target.table", "a.")).getMessage());
        assertEquals("invalid job: target.table must not be empty, got ' '",
                assertThrows(ConfigException.class, () -> TableName.parse("target.table", " ")).getMessage());
    }

    @Test
    void dialectsQuoteEveryPart() {
        assertEquals("\"s\".\"t\"", new GenericDialect().sql().quoteTable(new TableName("s", "t")));
        assertEquals("\"a\"\"b\"", new H2Dialect().sql().quoteIdentifier("a\"b"));
        assertThrows(IllegalArgumentException.class, () -> new GenericDialect().sql().quoteIdentifier("a\0b"));
    }
}
