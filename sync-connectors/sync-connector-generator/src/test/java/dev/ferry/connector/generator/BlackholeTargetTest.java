package dev.ferry.connector.generator;

import dev.ferry.engine.config.ConnectorConfigs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.ConnectorFactory;
import dev.ferry.api.SupportsSplitRetry;
import dev.ferry.api.TargetWriter;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import dev.ferry.engine.testing.ListRowBatch;
import dev.ferry.engine.testing.RecordingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class BlackholeTargetTest {

    private static final TableSchema SCHEMA = TableSchema.of("t", List.of(Column.of("v", DataType.INT64)));

    private static ListRowBatch batch(int rows) {
        List<Object[]> list = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            list.add(new Object[] {(long) i});
        }
        return new ListRowBatch(SCHEMA, list);
    }

    @Test
    void countsRowsOfFinishedSplits() {
        BlackholeTarget target = new BlackholeConnector().createTarget(
                ConnectorConfigs.validate("blackhole", "target", List.of(), Map.of()));
        RecordingContext context = new RecordingContext("t", 2);
        target.prepare(context, SCHEMA);
        try (TargetWriter a = target.createWriter(context); TargetWriter b = target.createWriter(context)) {
            a.startSplit(RowRangeSplit.of(0, 5));
            a.write(batch(3));
            a.write(batch(2));
            b.startSplit(RowRangeSplit.of(5, 12));
            b.write(batch(7));
            assertEquals(0, target.rowsWritten(), "nothing counts before the split finishes");
            a.finishSplit();
            b.finishSplit();
        }
        target.commit();
        target.post();
        target.close();
        target.close();
        assertEquals(12, target.rowsWritten());
        assertEquals(2, target.splitsFinished());
    }

    @Test
    void aRetriedSplitIsCountedOnce() {
        BlackholeTarget target = new BlackholeTarget();
        assertInstanceOf(SupportsSplitRetry.class, target);
        try (TargetWriter writer = target.createWriter(new RecordingContext("t", 1))) {
            writer.startSplit(RowRangeSplit.of(0, 4));
            writer.write(batch(3));
            writer.abortSplit();
            writer.startSplit(RowRangeSplit.of(0, 4));
            writer.write(batch(4));
            writer.finishSplit();
        }
        target.abort();
        assertEquals(4, target.rowsWritten());
    }

    @Test
    void bothConnectorsAreServices() {
        List<String> names = new ArrayList<>();
        for (ConnectorFactory factory : ServiceLoader.load(ConnectorFactory.class)) {
            names.add(factory.name());
            assertTrue(!factory.description().isBlank());
        }
        assertTrue(names.containsAll(List.of("generator", "blackhole")), names::toString);
        assertEquals(List.of(), new BlackholeConnector().targetKeys());
    }
}
