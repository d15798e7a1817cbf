package dev.ferry.connector.jdbc.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.api.Source;
import dev.ferry.api.change.CapturePlan;
import dev.ferry.api.change.ChangeKind;
import dev.ferry.api.data.Column;
import dev.ferry.connector.jdbc.H2Connector;
import dev.ferry.connector.jdbc.capture.CaptureFixture.ReaderRun;
import dev.ferry.connector.jdbc.capture.RecordingChangeSink.Change;
import dev.ferry.connector.jdbc.testing.MapConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every type the H2 batch source reads, with edge values and nulls: a streamed insert, update and
 * delete carry exactly the values a copy of the same rows carries.
 */
class H2CaptureTypesTest {

    private static final String COLUMNS = "ID INT PRIMARY KEY, B BOOLEAN, TI TINYINT, SI SMALLINT, I INT, BI BIGINT, "
            + "N NUMERIC(20,5), NU NUMERIC(40), DF DECFLOAT, R REAL, D DOUBLE PRECISION, V VARCHAR(100), C CHAR(5), "
            + "CL CLOB, VB VARBINARY(16), BL BLOB, DT DATE, TM TIME(9), TS TIMESTAMP(9), TSZ TIMESTAMP(9) WITH TIME ZONE, "
            + "U UUID, J JSON, IV INTERVAL DAY TO SECOND, E ENUM('red', 'green'), A INTEGER ARRAY, SA VARCHAR ARRAY, "
            + "TMZ TIME WITH TIME ZONE";

    private CaptureFixture fx;

    @BeforeEach
    void setUp() {
        fx = new CaptureFixture();
        fx.execute("CREATE TABLE TYPES (" + COLUMNS + ")");
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    /** The batch source of the {@code h2} connector over the table. */
    private Source batchSource() {
        H2Connector connector = new H2Connector();
        return connector.createSource(MapConfig.source(connector, fx.db.options("table", "PUBLIC.TYPES")));
    }

    private List<Object[]> batchRows() {
        List<Object[]> rows = new ArrayList<>(fx.copy(batchSource()));
        rows.sort(Comparator.comparingLong(r -> (Long) r[0]));
        return rows;
    }

    @Test
    void streamedValuesEqualTheValuesACopyReads() throws Exception {
        H2ChangeSource source = fx.source(List.of("PUBLIC.TYPES"), "capture.startFrom", "latest");
        CapturePlan plan = source.plan(fx.context, null);
        fx.execute("INSERT INTO TYPES VALUES (1, TRUE, -128, -32768, -2147483648, -9223372036854775808, "
                        + "-123456789012345.12345, 1234567890123456789012345678901234567890, 1.5e-300, 3.4028235E38, "
                        + "-0.0, 'ünï ✓ 😀 S5:x L2:42 N \"q\" '' \\ end', 'ab', 'clob text: S3:abc', X'00ff10', X'0102030405', "
                        + "DATE '-0044-03-15', TIME '23:59:59.999999999', TIMESTAMP '2024-02-29 12:34:56.123456789', "
                        + "TIMESTAMP WITH TIME ZONE '1900-01-01 00:00:00.000000001+05:45', "
                        + "'123e4567-e89b-12d3-a456-426614174000', JSON '{\"a\":[1,2.5,\"x\"],\"b\":{\"c\":null}}', "
                        + "INTERVAL '-1 02:03:04.5' DAY TO SECOND, 'green', ARRAY[1, NULL, 3], ARRAY['a', 'b''c'], "
                        + "TIME WITH TIME ZONE '10:00:00.5-03:30')",
                "INSERT INTO TYPES (ID) VALUES (2)",
                "INSERT INTO TYPES VALUES (3, FALSE, 127, 32767, 2147483647, 9223372036854775807, 0.00001, 0, 0, "
                        + "1.4E-45, 1.7976931348623157E308, '', '', '', X'', X'', DATE '9999-12-31', TIME '00:00:00', "
                        + "TIMESTAMP '0001-01-01 00:00:00', TIMESTAMP WITH TIME ZONE '9999-12-31 23:59:59.999999-18:00', "
                        + "'00000000-0000-0000-0000-000000000000', JSON 'null', INTERVAL '0' DAY, 'red', ARRAY[], "
                        + "ARRAY[], TIME WITH TIME ZONE '00:00:00+00:00')",
                "INSERT INTO TYPES (ID, D, R) VALUES (4, 'NaN', 'Infinity'), (5, '-Infinity', '-0.0')");
        List<Object[]> copied = batchRows();

        ReaderRun run = fx.start(source.attach(plan, plan.start(), fx.context));
        List<Change> inserts = run.sink.awaitChanges(5);
        List<Column> streamedColumns = inserts.get(0).schema().columns();
        List<Column> copiedColumns = schemaOf(batchSource());
        assertEquals(copiedColumns.stream().map(c -> c.name() + ":" + c.type()).toList(),
                streamedColumns.stream().map(c -> c.name() + ":" + c.type()).toList());
        for (int i = 0; i < copied.size(); i++) {
            assertArrayEquals(copied.get(i), inserts.get(i).values().toArray(), "row " + (i + 1));
        }

        fx.execute("UPDATE TYPES SET V = 'changed', TSZ = NULL, A = ARRAY[9] WHERE ID = 1", "DELETE FROM TYPES WHERE ID = 3");
        List<Object[]> updated = batchRows();
        List<Change> changes = run.sink.awaitChanges(7);
        run.stop();
        assertEquals(ChangeKind.UPDATE, changes.get(5).kind());
        assertArrayEquals(updated.get(0), changes.get(5).values().toArray(), "the updated row");
        assertEquals(ChangeKind.DELETE, changes.get(6).kind());
        assertArrayEquals(copied.get(2), changes.get(6).values().toArray(), "the deleted row, whole");
        assertEquals(List.of(), run.sink.dirty());
    }

    private List<Column> schemaOf(Source source) {
        try {
            source.prepare(fx.context);
            return source.schema().columns();
        } finally {
            source.close();
        }
    }
}
