package dev.ferry.connector.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SQL the H2 dialect writes: {@code MERGE … KEY}, {@code TRUNCATE}, OFFSET walks, H2's type names. */
class H2SqlTest {

    private final SqlRenderer sql = new H2Dialect().sql();

    @Test
    void upsertMergesByKey() {
        assertEquals("MERGE INTO \"t\" (\"a\", \"b\", \"v\") KEY (\"a\", \"b\") VALUES (?, ?, ?)",
                sql.upsertSql("\"t\"", List.of("a", "b", "v"), List.of("a", "b")));
    }

    @Test
    void changeUpsertIsTheUpsertWhateverOtherUniqueKeys() {
        String upsert = sql.upsertSql("\"t\"", List.of("k", "u"), List.of("k"));
        assertEquals(upsert, sql.changeUpsertSql("\"t\"", List.of("k", "u"), List.of("k"), true));
        assertEquals(upsert, sql.changeUpsertSql("\"t\"", List.of("k", "u"), List.of("k"), false));
    }

    @Test
    void deleteUpdateAndTruncate() {
        assertEquals("DELETE FROM \"t\" WHERE \"k\" = ?", sql.deleteSql("\"t\"", List.of("k")));
        assertEquals("UPDATE \"t\" SET \"v\" = ?, \"w\" = ? WHERE \"k\" = ?",
                sql.updateSql("\"t\"", List.of("v", "w"), List.of("k")));
        assertEquals("TRUNCATE TABLE \"t\"", sql.truncateSql("\"t\""));
    }

    @Test
    void addColumnDeclaresH2Types() {
        assertEquals("ALTER TABLE \"t\" ADD COLUMN \"u\" UUID",
                sql.addColumnSql("\"t\"", new Column("u", DataType.STRING, true, 0, 0, "uuid")));
        assertEquals("ALTER TABLE \"t\" ADD COLUMN \"n\" NUMERIC(100000, 50000)", sql.addColumnSql("\"t\"", Column.of("n", DataType.DECIMAL)));
        assertEquals("ALTER TABLE \"t\" ADD COLUMN \"j\" JSON", sql.addColumnSql("\"t\"", Column.of("j", DataType.JSON)));
        assertEquals("ALTER TABLE \"t\" ADD COLUMN \"s\" CHARACTER VARYING", sql.addColumnSql("\"t\"", Column.of("s", DataType.STRING)));
        assertEquals("ALTER TABLE \"t\" ADD COLUMN \"f\" DOUBLE PRECISION", sql.addColumnSql("\"t\"", Column.of("f", DataType.FLOAT64)));
    }

    @Test
    void walksTheKeyIndexWithOffsetFetch() {
        assertEquals("OFFSET 2500 ROWS FETCH FIRST 1 ROW ONLY", sql.skipAndTakeOne(2500));
    }
}
