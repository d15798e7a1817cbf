package dev.ferry.connector.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.ferry.api.AttachedSource;
import dev.ferry.api.AttachedTarget;
import dev.ferry.api.Source;
import dev.ferry.api.SourcePlan;
import dev.ferry.api.SourceReader;
import dev.ferry.api.Split;
import dev.ferry.api.Target;
import dev.ferry.api.TargetPlan;
import dev.ferry.api.TargetWriter;
import dev.ferry.api.PlannedSource;
import dev.ferry.api.PlannedTarget;
import dev.ferry.api.config.ConnectorConfig;
import dev.ferry.connector.jdbc.testing.MapConfig;
import dev.ferry.connector.jdbc.testing.TestDatabase;
import dev.ferry.engine.testing.JavaSerialisation;
import dev.ferry.engine.testing.CollectingRecordSink;
import dev.ferry.engine.testing.ListRowBatch;
import dev.ferry.engine.testing.RecordingContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A source and a target planned once and attached again from their serialised plans, the way a
 * runner on another machine would: attached readers read the planner's snapshot, and attaching a
 * target runs no pre-SQL and truncates nothing.
 */
class AttachIT {

    private static final TestDatabase PG = TestDatabase.POSTGRES;
    private final PostgresConnector connector = new PostgresConnector();
    private final String source = TestDatabase.uniqueName("attach_src");
    private final String target = TestDatabase.uniqueName("attach_dst");

    @BeforeEach
    void setUp() {
        PG.assumeReachable();
        PG.execute("CREATE TABLE " + source + " (id bigint PRIMARY KEY, name text)",
                "INSERT INTO " + source + " SELECT g, 'n' || g FROM generate_series(1, 1000) g",
                "CREATE TABLE " + target + " (id bigint PRIMARY KEY, name text)",
                "CREATE TABLE " + target + "_log (note text)");
    }

    @AfterEach
    void tearDown() {
        PG.execute("DROP TABLE IF EXISTS " + source, "DROP TABLE IF EXISTS " + target, "DROP TABLE IF EXISTS " + target + "_log");
    }

    @Test
    void attachedReadersReadThePlannersSnapshotAndAttachedWritersRepeatNoSetup() throws Exception {
        RecordingContext context = new RecordingContext("attach", 2);
        ConnectorConfig sourceConfig = MapConfig.source(connector, PG.options("table", source, "splitPk", "id",
                "consistent", true));
        ConnectorConfig targetConfig = MapConfig.target(connector, PG.options("table", target, "truncateBeforeWrite", true,
                "preSql", List.of("INSERT INTO " + target + "_log VALUES ('pre')")));
        try (Source planner = connector.createSource(sourceConfig); Target preparer = connector.createTarget(targetConfig)) {
            planner.prepare(context);
            List<? extends Split> splits = JavaSerialisation.roundTrip(new ArrayList<>(planner.planSplits(context)));
            SourcePlan sourcePlan = JavaSerialisation.roundTrip(assertInstanceOf(PlannedSource.class, planner).sourcePlan());
            PG.execute("INSERT INTO " + target + " VALUES (-1, 'before prepare')");
            preparer.prepare(context, planner.schema());
            TargetPlan targetPlan = JavaSerialisation.roundTrip(assertInstanceOf(PlannedTarget.class, preparer).targetPlan());
            // After planning: changes the planner's snapshot does not see, and a row attaching must keep.
            PG.execute("INSERT INTO " + source + " SELECT g, 'late' FROM generate_series(1001, 1500) g",
                    "DELETE FROM " + source + " WHERE id <= 10",
                    "INSERT INTO " + target + " VALUES (0, 'written between prepare and attach')");

            List<Object[]> rows = new ArrayList<>();
            try (AttachedSource readers = connector.attachSource(sourceConfig, sourcePlan, context)) {
                for (Split split : splits) {
                    CollectingRecordSink sink = new CollectingRecordSink(sourcePlan.schema());
                    try (SourceReader reader = readers.createReader(split)) {
                        reader.read(sink);
                    }
                    rows.addAll(sink.rows());
                }
            }
            assertEquals(1000, rows.size(), "attached readers read the planner's snapshot");
            try (AttachedTarget writers = connector.attachTarget(targetConfig, targetPlan, context);
                 TargetWriter writer = writers.createWriter(context)) {
                writer.startSplit(splits.get(0));
                writer.write(new ListRowBatch(sourcePlan.schema(), rows));
                writer.finishSplit();
            }
        }
        assertEquals(1001, PG.queryLong("SELECT count(*) FROM " + target));
        assertEquals(1, PG.queryLong("SELECT count(*) FROM " + target + " WHERE id = 0"), "attaching truncated nothing");
        assertEquals(0, PG.queryLong("SELECT count(*) FROM " + target + " WHERE id = -1"), "prepare truncated once");
        assertEquals(1, PG.queryLong("SELECT count(*) FROM " + target + "_log"), "pre-SQL ran once, at prepare");
        assertEquals(10, PG.queryLong("SELECT count(*) FROM " + target + " WHERE id <= 10 AND id > 0"),
                "rows deleted after planning were read from the snapshot");
    }
}
