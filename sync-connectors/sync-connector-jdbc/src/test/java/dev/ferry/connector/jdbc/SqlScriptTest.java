package dev.ferry.connector.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlScriptTest {

    @Test
    void splitsAtSemicolonsOutsideQuotesAndComments() {
        assertEquals(List.of("SELECT 'a;b' FROM t", "SELECT \"x;y\" FROM u", "DELETE FROM v -- a; comment\n WHERE 1=1"),
                SqlScript.split("SELECT 'a;b' FROM t; SELECT \"x;y\" FROM u;\nDELETE FROM v -- a; comment\n WHERE 1=1;", false));
        assertEquals(List.of("SELECT 1 /* ; */", "SELECT 2"), SqlScript.split("SELECT 1 /* ; */; SELECT 2", false));
    }

    @Test
    void keepsDollarQuotedBodiesWhole() {
        String body = "DO $$BEGIN PERFORM 1; PERFORM 2; END$$";
        assertEquals(List.of(body, "SELECT $1"), SqlScript.split(body + "; SELECT $1", false));
        assertEquals(List.of("SELECT $tag$a;b$tag$"), SqlScript.split("SELECT $tag$a;b$tag$;", false));
    }

    @Test
    void backslashEscapesOnlyWhereTheDatabaseHasThem() {
        assertEquals(List.of("SELECT 'it\\'s; fine'", "SELECT 2"), SqlScript.split("SELECT 'it\\'s; fine'; SELECT 2", true));
        assertEquals(List.of("SELECT 'a\\'", "s'"), SqlScript.split("SELECT 'a\\'; s'", false));
    }

    @Test
    void dropsEmptyStatementsAndJoinsLists() {
        assertEquals(List.of("A", "B", "C"), SqlScript.statements(List.of(" A ; ; ", "-- only a comment", "B;C"), false));
        assertEquals(List.of(), SqlScript.statements(null, false));
    }
}
