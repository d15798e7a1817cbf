package dev.ferry.connector.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import dev.ferry.connector.jdbc.DbColumn;
import dev.ferry.connector.jdbc.TableName;
import java.sql.Types;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SQL the PostgreSQL dialect writes, without a server. */
class PostgresSqlTest {

    private final PostgresSql sql = new PostgresDialect().sql();

    @Test
    void upsertUpdatesTheNonKeyColumnsOnConflict() {
        assertEquals("INSERT INTO \"t\" (\"k\", \"v\", \"w\") VALUES (?, ?, ?) ON CONFLICT (\"k\") "
                + "DO UPDATE SET \"v\" = EXCLUDED.\"v\", \"w\" = EXCLUDED.\"w\"",
                sql.upsertSql("\"t\"", List.of("k", "v", "w"), List.of("k")));
        assertEquals("INSERT INTO \"t\" (\"a\", \"b\", \"v\") VALUES (?, ?, ?) ON CONFLICT (\"a\", \"b\") "
                + "DO UPDATE SET \"v\" = EXCLUDED.\"v\"", sql.upsertSql("\"t\"", List.of("a", "b", "v"), List.of("a", "b")));
    }

    @Test
    void upsertOfKeyColumnsOnlyDoesNothingOnConflict() {
        assertEquals("INSERT INTO \"t\" (\"k\") VALUES (?) ON CONFLICT (\"k\") DO NOTHING",
                sql.upsertSql("\"t\"", List.of("k"), List.of("k")));
    }

    @Test
    void changeUpsertIsTheUpsertWhateverOtherUniqueKeys() {
        // ON CONFLICT (key) names the key, so another unique key's collision fails instead of updating another row.
        String upsert = sql.upsertSql("\"t\"", List.of("k", "u"), List.of("k"));
        assertEquals(upsert, sql.changeUpsertSql("\"t\"", List.of("k", "u"), List.of("k"), true));
        assertEquals(upsert, sql.changeUpsertSql("\"t\"", List.of("k", "u"), List.of("k"), false));
    }

    @Test
    void deleteUpdateAndTruncate() {
        assertEquals("DELETE FROM \"public\".\"t\" WHERE \"a\" = ? AND \"b\" = ?",
                sql.deleteSql(sql.quoteTable(new TableName("public", "t")), List.of("a", "b")));
        assertEquals("UPDATE \"t\" SET \"v\" = ? WHERE \"k\" = ?", sql.updateSql("\"t\"", List.of("v"), List.of("k")));
        assertEquals("TRUNCATE TABLE \"t\"", sql.truncateSql("\"t\""));
    }

    @Test
    void addColumnDeclaresPostgresTypes() {
        assertEquals("ALTER TABLE \"t\" ADD COLUMN \"Id\" uuid",
                sql.addColumnSql("\"t\"", new Column("Id", DataType.STRING, true, 0, 0, "uuid")));
        assertEquals("ALTER TABLE \"t\" ADD COLUMN \"name\" varchar(40)",
                sql.addColumnSql("\"t\"", new Column("name", DataType.STRING, true, 40, 0, "varchar")));
        assertEquals("ALTER TABLE \"t\" ADD COLUMN \"note\" text", sql.addColumnSql("\"t\"", Column.of("note", DataType.STRING)));
        assertEquals("ALTER TABLE \"t\" ADD COLUMN \"doc\" json",
                sql.addColumnSql("\"t\"", new Column("doc", DataType.JSON, true, 0, 0, "json")));
        assertEquals("ALTER TABLE \"t\" ADD COLUMN \"doc\" jsonb", sql.addColumnSql("\"t\"", Column.of("doc", DataType.JSON)));
        assertEquals("ALTER TABLE \"t\" ADD COLUMN \"raw\" bytea",
                sql.addColumnSql("\"t\"", new Column("raw", DataType.BYTES, true, 16, 0, "")));
        assertEquals("ALTER TABLE \"t\" ADD COLUMN \"at\" timestamptz", sql.addColumnSql("\"t\"", Column.of("at", DataType.TIMESTAMPTZ)));
    }

    @Test
    void createTableWithPostgresTypes() {
        TableSchema schema = new TableSchema("s", List.of(new Column("id", DataType.INT64, false, 0, 0, ""),
                new Column("amount", DataType.DECIMAL, true, 12, 2, ""), Column.of("ok", DataType.BOOLEAN)), List.of("id"));
        assertEquals("CREATE TABLE \"t\" (\"id\" bigint NOT NULL, \"amount\" numeric(12,2), \"ok\" boolean, "
                + "PRIMARY KEY (\"id\"))", sql.createTableSql("\"t\"", schema));
    }

    @Test
    void walksTheKeyIndexWithLimitOffset() {
        assertEquals("LIMIT 1 OFFSET 1000", sql.skipAndTakeOne(1000));
        assertFalse(sql.backslashEscapes());
    }

    @Test
    void copyNamesTheTargetColumns() {
        List<DbColumn> columns = List.of(new DbColumn(new Column("id", DataType.INT64, false, 0, 0, "int8"), Types.BIGINT),
                new DbColumn(new Column("my \"col\"", DataType.STRING, true, 0, 0, "text"), Types.VARCHAR));
        assertEquals("COPY \"t\" (\"id\", \"my \"\"col\"\"\") FROM STDIN", sql.copySql("\"t\"", columns));
    }
}
