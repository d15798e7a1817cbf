package dev.ferry.connector.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.connector.jdbc.TableName;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Names of partitions and staging tables on PostgreSQL, which keeps 63 bytes of a name. */
class PostgresPartitionSqlTest {

    private final PostgresPartitionSql sql = (PostgresPartitionSql) new PostgresDialect().partitions().orElseThrow();

    @Test
    void shortNamesAreTheBaseNameAndTheDate() {
        TableName base = new TableName("shop", "orders");
        assertEquals(new TableName("shop", "orders_20240101"), sql.partitionTable(base, "20240101"));
        assertEquals(new TableName("shop", "orders_20240101_stage"), sql.stagingTable(base, "20240101", "stage"));
    }

    @Test
    void longNamesAreCutToSixtyThreeBytesAndKeptApartByAHash() {
        String long1 = "ünïcødé_".repeat(6) + "one";
        String long2 = "ünïcødé_".repeat(6) + "two";
        Set<String> names = new HashSet<>();
        for (String name : List.of(long1, long2)) {
            TableName base = new TableName(null, name);
            for (TableName table : List.of(sql.partitionTable(base, "20240101"), sql.stagingTable(base, "20240101", "stage"),
                    sql.stagingTable(base, "20240101", "merge"))) {
                assertTrue(table.name().getBytes(StandardCharsets.UTF_8).length <= 63, table.name());
                assertTrue(names.add(table.name()), "names differ: " + table.name());
            }
            assertTrue(sql.partitionTable(base, "20240101").name().endsWith("_20240101"));
            assertEquals(sql.partitionTable(base, "20240101"), sql.partitionTable(base, "20240101"), "the same each time");
        }
        assertNotEquals(sql.partitionTable(new TableName(null, long1), "20240101"),
                sql.partitionTable(new TableName(null, long1), "20240102"));
    }
}
