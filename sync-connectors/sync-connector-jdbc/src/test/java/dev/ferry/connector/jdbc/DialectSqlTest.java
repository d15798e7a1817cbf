package dev.ferry.connector.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SQL the generic and H2 dialects write, with hostile identifiers quoted. */
class DialectSqlTest {

    private final GenericDialect generic = new GenericDialect();
    private final H2Dialect h2 = new H2Dialect();
    private final GenericTypes genericTypes = new GenericTypes();

    @Test
    void insertUpdateAndMergeQuoteEveryIdentifier() {
        assertEquals("INSERT INTO \"t\" (\"a\", \"select\") VALUES (?, ?)", generic.sql().insertSql("\"t\"", List.of("a", "select")));
        assertEquals("UPDATE \"t\" SET \"b\" = ? WHERE \"a\" = ? AND \"c\"\"d\" = ?",
                generic.sql().updateSql("\"t\"", List.of("b"), List.of("a", "c\"d")));
        assertEquals("MERGE INTO \"t\" (\"k\", \"v\") KEY (\"k\") VALUES (?, ?)", h2.sql().upsertSql("\"t\"", List.of("k", "v"), List.of("k")));
        assertEquals("MERGE INTO \"t\" ferry_t USING (VALUES (?, ?)) ferry_s (\"k\", \"v\") ON ferry_t.\"k\" = ferry_s.\"k\" "
                + "WHEN MATCHED THEN UPDATE SET \"v\" = ferry_s.\"v\" WHEN NOT MATCHED THEN INSERT (\"k\", \"v\") "
                + "VALUES (ferry_s.\"k\", ferry_s.\"v\")", generic.sql().upsertSql("\"t\"", List.of("k", "v"), List.of("k")));
    }

    @Test
    void createTableMapsLogicalTypesBack() {
        TableSchema schema = new TableSchema("s", List.of(new Column("id", DataType.INT64, false, 0, 0, ""),
                new Column("name", DataType.STRING, true, 20, 0, ""), new Column("amount", DataType.DECIMAL, true, 12, 2, ""),
                Column.of("at", DataType.TIMESTAMPTZ), Column.of("doc", DataType.JSON)), List.of("id"));
        assertEquals("CREATE TABLE \"t\" (\"id\" BIGINT NOT NULL, \"name\" CHARACTER VARYING(20), \"amount\" NUMERIC(12,2), "
                + "\"at\" TIMESTAMP(6) WITH TIME ZONE, \"doc\" JSON, PRIMARY KEY (\"id\"))", h2.sql().createTableSql("\"t\"", schema));
    }

    @Test
    void typeMappingFromJdbcTypes() {
        assertEquals(DataType.INT64, genericTypes.dataType(java.sql.Types.SMALLINT, "int2", 5, 0));
        assertEquals(DataType.BOOLEAN, genericTypes.dataType(java.sql.Types.BIT, "bit", 1, 0));
        assertEquals(DataType.DECIMAL, genericTypes.dataType(java.sql.Types.NUMERIC, "numeric", 10, 2));
        assertEquals(DataType.TIMESTAMPTZ, genericTypes.dataType(java.sql.Types.TIMESTAMP_WITH_TIMEZONE, "timestamptz", 0, 6));
        assertEquals(DataType.JSON, genericTypes.dataType(java.sql.Types.OTHER, "jsonb", 0, 0));
        assertEquals(DataType.STRING, genericTypes.dataType(java.sql.Types.OTHER, "uuid", 0, 0));
        assertEquals(DataType.STRING, genericTypes.dataType(java.sql.Types.ARRAY, "_int4", 0, 0));
        assertEquals(DataType.BYTES, genericTypes.dataType(java.sql.Types.VARBINARY, "bytea", 0, 0));
    }
}
