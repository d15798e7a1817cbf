package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.Source;
import dev.ferry.api.SourceFactory;
import dev.ferry.api.Split;
import dev.ferry.engine.SyncEngine;
import dev.ferry.engine.config.ConnectorConfigs;
import dev.ferry.engine.testing.RecordingContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Splits are shipped to other processes by distributed runners: every source's splits must
 * survive serialisation unchanged and stay small.
 */
class SplitSerializationTest {

    @TempDir
    Path dir;

    private static List<? extends Split> plan(String connector, Map<String, ?> options) {
        try (SyncEngine engine = SyncEngine.builder().build()) {
            SourceFactory factory = (SourceFactory) engine.connectors().stream()
                    .filter(f -> f.name().equals(connector)).findFirst().orElseThrow();
            RecordingContext context = new RecordingContext("split-test", 4);
            try (Source source = factory.createSource(
                    ConnectorConfigs.validate(connector, "source", factory.sourceKeys(), options))) {
                source.prepare(context);
                return source.planSplits(context);
            }
        }
    }

    private static void assertRoundTrips(List<? extends Split> splits) throws Exception {
        assertTrue(splits.size() > 1, "expected several splits, got " + splits);
        for (Split split : splits) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(split);
            }
            assertTrue(bytes.size() < 1024, split + " serialises to " + bytes.size() + " bytes");
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                assertEquals(split, in.readObject());
            }
        }
    }

    @Test
    void generatorSplits() throws Exception {
        assertRoundTrips(plan("generator", Map.of("rows", 100_000)));
    }

    @Test
    void fileSplits() throws Exception {
        for (int i = 0; i < 3; i++) {
            Files.writeString(dir.resolve("part" + i + ".csv"), "id\n" + i + "\n");
        }
        assertRoundTrips(plan("csv", Map.of("path", dir.toString())));
    }

    @Test
    void jdbcKeyRangeSplits() throws Exception {
        String url = "jdbc:h2:mem:split_test_" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE \"t\" (\"id\" BIGINT PRIMARY KEY, \"v\" VARCHAR(10))");
            s.execute("INSERT INTO \"t\" SELECT X, 'v' FROM SYSTEM_RANGE(1, 10000)");
            assertRoundTrips(plan("h2", Map.of("url", url, "username", "sa", "table", "t", "splitPk", "id")));
            s.execute("SHUTDOWN");
        }
    }
}
