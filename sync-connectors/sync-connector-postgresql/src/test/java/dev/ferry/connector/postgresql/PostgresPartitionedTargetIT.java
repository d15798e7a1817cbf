package dev.ferry.connector.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.connector.jdbc.Dialect;
import dev.ferry.connector.jdbc.testing.PartitionedTargetContract;
import dev.ferry.connector.jdbc.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The partitioned change target contract on PostgreSQL, in a schema of its own per test:
 * declaratively partitioned base tables whose partitions are swapped in by ATTACH.
 */
class PostgresPartitionedTargetIT extends PartitionedTargetContract {

    private final String schema = TestDatabase.uniqueName("ferry_parts");

    @BeforeEach
    void createSchema() {
        TestDatabase.POSTGRES.assumeReachable();
        TestDatabase.POSTGRES.execute("CREATE SCHEMA \"" + schema + "\"");
    }

    @AfterEach
    void dropSchema() {
        TestDatabase.POSTGRES.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
    }

    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRES;
    }

    @Override
    protected Dialect dialect() {
        return new PostgresDialect();
    }

    @Override
    protected String schema() {
        return schema;
    }

    @Test
    void theBaseTableIsPartitionedByListAndEachDateIsAPartitionOfItsOwn() {
        String table = tableWithPartitionsOf(D0, D1);
        assertEquals(List.of(table + "|p"), TestDatabase.POSTGRES.rows("SELECT relname, relkind FROM pg_class WHERE oid = "
                + "to_regclass('" + sqlName(table) + "')"));
        assertEquals(List.of(table + "_20240101|FOR VALUES IN ('20240101')|" + table + "_20240101_key",
                        table + "_20240102|FOR VALUES IN ('20240102')|" + table + "_20240102_key"),
                TestDatabase.POSTGRES.rows("SELECT c.relname, pg_get_expr(c.relpartbound, c.oid), "
                        + "(SELECT string_agg(ic.relname, ',') FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid "
                        + "WHERE i.indrelid = c.oid) "
                        + "FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid WHERE h.inhparent = to_regclass('"
                        + sqlName(table) + "') ORDER BY 1"));
    }
}
