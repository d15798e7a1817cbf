package dev.ferry.connector.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The standard SQL the generic {@code jdbc} dialect writes: MERGE upserts, DELETE to empty, no OFFSET walk. */
class GenericSqlTest {

    private final SqlRenderer sql = new GenericDialect().sql();

    @Test
    void upsertWithoutNonKeyColumnsOnlyInserts() {
        assertEquals("MERGE INTO \"t\" ferry_t USING (VALUES (?, ?)) ferry_s (\"a\", \"b\") "
                + "ON ferry_t.\"a\" = ferry_s.\"a\" AND ferry_t.\"b\" = ferry_s.\"b\" "
                + "WHEN NOT MATCHED THEN INSERT (\"a\", \"b\") VALUES (ferry_s.\"a\", ferry_s.\"b\")",
                sql.upsertSql("\"t\"", List.of("a", "b"), List.of("a", "b")));
    }

    @Test
    void changeUpsertIsTheUpsertWhateverOtherUniqueKeys() {
        String upsert = sql.upsertSql("\"t\"", List.of("k", "u", "v"), List.of("k"));
        assertEquals(upsert, sql.changeUpsertSql("\"t\"", List.of("k", "u", "v"), List.of("k"), false));
        assertEquals(upsert, sql.changeUpsertSql("\"t\"", List.of("k", "u", "v"), List.of("k"), true));
    }

    @Test
    void deleteAndTruncate() {
        assertEquals("DELETE FROM \"t\" WHERE \"a\" = ? AND \"b\"\"c\" = ?", sql.deleteSql("\"t\"", List.of("a", "b\"c")));
        assertEquals("DELETE FROM \"s\".\"t\"", sql.truncateSql("\"s\".\"t\""));
    }

    @Test
    void addColumnDeclaresTheStandardType() {
        assertEquals("ALTER TABLE \"t\" ADD COLUMN \"my col\" VARCHAR(20)",
                sql.addColumnSql("\"t\"", new Column("my col", DataType.STRING, true, 20, 0, "")));
        assertEquals("ALTER TABLE \"t\" ADD COLUMN \"doc\" CLOB", sql.addColumnSql("\"t\"", Column.of("doc", DataType.JSON)));
        assertEquals("ALTER TABLE \"t\" ADD COLUMN \"at\" TIMESTAMP WITH TIME ZONE",
                sql.addColumnSql("\"t\"", Column.of("at", DataType.TIMESTAMPTZ)));
    }

    @Test
    void createTableKeepsThePrimaryKeyNotNull() {
        TableSchema schema = new TableSchema("s", List.of(new Column("id", DataType.INT64, true, 0, 0, ""),
                new Column("amount", DataType.DECIMAL, false, 12, 2, ""), Column.of("raw", DataType.BYTES)), List.of("id"));
        assertEquals("CREATE TABLE \"t\" (\"id\" BIGINT NOT NULL, \"amount\" NUMERIC(12,2) NOT NULL, \"raw\" BLOB, "
                + "PRIMARY KEY (\"id\"))", sql.createTableSql("\"t\"", schema));
    }

    @Test
    void noSkipClauseSoThePlannerStreamsTheKeys() {
        assertNull(sql.skipAndTakeOne(10));
    }

    @Test
    void namesAreTriedAsGivenThenFolded() {
        assertEquals(List.of("Orders", "orders", "ORDERS"), sql.nameCandidates("Orders"));
        assertEquals(List.of("orders", "ORDERS"), sql.nameCandidates("orders"));
        assertFalse(sql.backslashEscapes());
        assertThrows(IllegalArgumentException.class, () -> sql.quoteIdentifier("a\0b"));
    }
}
