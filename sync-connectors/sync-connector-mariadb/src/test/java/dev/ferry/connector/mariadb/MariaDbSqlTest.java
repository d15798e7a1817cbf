package dev.ferry.connector.mariadb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import dev.ferry.connector.jdbc.SqlRenderer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SQL the MariaDB and MySQL dialects write, without a server. */
class MariaDbSqlTest {

    private final SqlRenderer sql = MariaDbDialect.mariadb().sql();

    @Test
    void changeUpsertReplacesWhenOtherUniqueKeysCouldCatchAnotherRow() {
        assertEquals("REPLACE INTO `t` (`k`, `u`, `v`) VALUES (?, ?, ?)",
                sql.changeUpsertSql("`t`", List.of("k", "u", "v"), List.of("k"), true));
        assertEquals(sql.upsertSql("`t`", List.of("k", "u", "v"), List.of("k")),
                sql.changeUpsertSql("`t`", List.of("k", "u", "v"), List.of("k"), false));
    }

    @Test
    void upsertWithACompositeKey() {
        assertEquals("INSERT INTO `t` (`a`, `b`, `v`, `w`) VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE "
                + "`v` = VALUES(`v`), `w` = VALUES(`w`)", sql.upsertSql("`t`", List.of("a", "b", "v", "w"), List.of("a", "b")));
    }

    @Test
    void deleteUpdateAndTruncate() {
        assertEquals("DELETE FROM `db`.`t` WHERE `a` = ? AND `b``c` = ?", sql.deleteSql("`db`.`t`", List.of("a", "b`c")));
        assertEquals("UPDATE `t` SET `v` = ? WHERE `k` = ?", sql.updateSql("`t`", List.of("v"), List.of("k")));
        assertEquals("TRUNCATE TABLE `t`", sql.truncateSql("`t`"));
    }

    @Test
    void addColumnDeclaresMariaDbTypesWithinItsLimits() {
        assertEquals("ALTER TABLE `t` ADD COLUMN `u` char(36)",
                sql.addColumnSql("`t`", new Column("u", DataType.STRING, true, 0, 0, "uuid")));
        assertEquals("ALTER TABLE `t` ADD COLUMN `s` varchar(255)",
                sql.addColumnSql("`t`", new Column("s", DataType.STRING, true, 255, 0, "")));
        assertEquals("ALTER TABLE `t` ADD COLUMN `s` longtext",
                sql.addColumnSql("`t`", new Column("s", DataType.STRING, true, 16_384, 0, "")));
        assertEquals("ALTER TABLE `t` ADD COLUMN `n` decimal(40,30)",
                sql.addColumnSql("`t`", new Column("n", DataType.DECIMAL, true, 40, 35, "")));
        assertEquals("ALTER TABLE `t` ADD COLUMN `n` decimal(65,30)",
                sql.addColumnSql("`t`", new Column("n", DataType.DECIMAL, true, 66, 2, "")));
        assertEquals("ALTER TABLE `t` ADD COLUMN `at` timestamp(6)", sql.addColumnSql("`t`", Column.of("at", DataType.TIMESTAMPTZ)));
        assertEquals("ALTER TABLE `t` ADD COLUMN `ts` datetime(6)", sql.addColumnSql("`t`", Column.of("ts", DataType.TIMESTAMP)));
        assertEquals("ALTER TABLE `t` ADD COLUMN `j` json", sql.addColumnSql("`t`", Column.of("j", DataType.JSON)));
    }

    @Test
    void createTableWithBackticks() {
        TableSchema schema = new TableSchema("s", List.of(new Column("id", DataType.INT64, false, 0, 0, ""),
                new Column("bin", DataType.BYTES, true, 16, 0, "")), List.of("id"));
        assertEquals("CREATE TABLE `t` (`id` bigint NOT NULL, `bin` varbinary(16), PRIMARY KEY (`id`))",
                sql.createTableSql("`t`", schema));
    }

    @Test
    void walksTheKeyIndexWithLimitOffsetAndSplitsScriptsOnBackslashes() {
        assertEquals("LIMIT 1 OFFSET 42", sql.skipAndTakeOne(42));
        assertTrue(sql.backslashEscapes());
        assertEquals(sql.upsertSql("`t`", List.of("k", "v"), List.of("k")),
                MariaDbDialect.mysql().sql().upsertSql("`t`", List.of("k", "v"), List.of("k")));
    }
}
