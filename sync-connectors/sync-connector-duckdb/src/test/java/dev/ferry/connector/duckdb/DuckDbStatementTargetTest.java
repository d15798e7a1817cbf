package dev.ferry.connector.duckdb;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.Target;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.SyncException;
import dev.ferry.connector.jdbc.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The DuckDB target contract again with {@code appender: false}: batched INSERT statements. */
class DuckDbStatementTargetTest extends DuckDbTargetTest {

    @Override
    protected Object[] extraTargetKeys() {
        return new Object[] {DuckDbConnector.APPENDER, false};
    }

    @Override
    protected boolean appender() {
        return false;
    }

    @Override
    @Test
    void valuesOutOfTheTargetsRangeAreDirtyBeforeAnythingIsSent() {
        String name = TestDatabase.uniqueName("ranges");
        createTable(name, "id BIGINT NOT NULL PRIMARY KEY, small SMALLINT");
        TableSchema schema = TableSchema.of("src", List.of(Column.of("id", DataType.INT64), Column.of("small", DataType.INT64)));
        try (Target target = target("table", name)) {
            SyncException error = assertThrows(SyncException.class,
                    () -> writeSplit(target, schema, List.of(rows(new Object[] {1L, 32_768L}))));
            assertTrue(error.getMessage().contains("out of range for the destination type INT16"), error.getMessage());
        }
    }
}
