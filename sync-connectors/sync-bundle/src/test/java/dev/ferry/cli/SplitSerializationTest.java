package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.api.Source;
import dev.ferry.api.SourceFactory;
import dev.ferry.api.Split;
import dev.ferry.connector.file.FileSplit;
import dev.ferry.connector.generator.RowRangeSplit;
import dev.ferry.connector.jdbc.JdbcSplit;
import dev.ferry.engine.SyncEngine;
import dev.ferry.engine.config.ConnectorConfigs;
import dev.ferry.engine.testing.RecordingContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Splits are shipped to other processes by distributed runners: every source's splits must
 * survive serialisation unchanged and stay small, in both forms {@link Split} promises: Java
 * serialisation, and Jackson as plain records (the record's components as the JSON object's
 * fields, read back by the split's own class).
 */
class SplitSerializationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The split types the tests below plan and round-trip. */
    private static final List<Class<? extends Split>> COVERED = List.of(RowRangeSplit.class, FileSplit.class,
            JdbcSplit.KeyRange.class, JdbcSplit.NullKeys.class, JdbcSplit.Whole.class, JdbcSplit.Query.class);

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
            assertJavaRoundTrip(split);
            assertJacksonRoundTrip(split);
        }
    }

    private static void assertJavaRoundTrip(Split split) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(split);
        }
        assertTrue(bytes.size() < 1024, split + " serialises to " + bytes.size() + " bytes");
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(split, in.readObject());
        }
    }

    private static void assertJacksonRoundTrip(Split split) throws Exception {
        Class<? extends Split> type = split.getClass();
        assertTrue(type.isRecord(), type + " is not a record");
        String json = JSON.writeValueAsString(split);
        JsonNode tree = JSON.readTree(json);
        Set<String> fields = new TreeSet<>();
        tree.fieldNames().forEachRemaining(fields::add);
        Set<String> components = new TreeSet<>();
        for (RecordComponent component : type.getRecordComponents()) {
            components.add(component.getName());
        }
        assertEquals(components, fields, "JSON fields of " + json);
        assertEquals(split, JSON.readValue(json, type), json);
    }

    @Test
    void generatorSplits() throws Exception {
        List<? extends Split> splits = plan("generator", Map.of("rows", 100_000));
        assertTrue(splits.stream().allMatch(split -> split instanceof RowRangeSplit), splits::toString);
        assertRoundTrips(splits);
    }

    @Test
    void fileSplits() throws Exception {
        Path csv = Files.createDirectory(dir.resolve("csv"));
        Path jsonl = Files.createDirectory(dir.resolve("jsonl"));
        for (int i = 0; i < 3; i++) {
            Files.writeString(csv.resolve("part" + i + ".csv"), "id\n" + i + "\n");
            Files.writeString(jsonl.resolve("part" + i + ".jsonl"), "{\"id\":" + i + "}\n");
        }
        for (List<? extends Split> splits : List.of(plan("csv", Map.of("path", csv.toString())),
                plan("jsonl", Map.of("path", jsonl.toString())))) {
            assertTrue(splits.stream().allMatch(split -> split instanceof FileSplit), splits::toString);
            assertRoundTrips(splits);
        }
    }

    @Test
    void jdbcSplitsOfEveryKind() throws Exception {
        String url = "jdbc:h2:mem:split_test_" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE \"t\" (\"id\" BIGINT PRIMARY KEY, \"v\" VARCHAR(10))");
            s.execute("INSERT INTO \"t\" SELECT X, 'v' FROM SYSTEM_RANGE(1, 10000)");
            // A nullable key with NULLs gets a split of its own besides the key ranges.
            s.execute("CREATE TABLE \"n\" (\"k\" BIGINT, \"v\" VARCHAR(10))");
            s.execute("INSERT INTO \"n\" SELECT CASE WHEN MOD(X, 10) = 0 THEN NULL ELSE X END, 'v'"
                    + " FROM SYSTEM_RANGE(1, 10000)");
            List<? extends Split> keyRanges = plan("h2", Map.of("url", url, "username", "sa", "table", "t",
                    "splitPk", "id"));
            assertTrue(keyRanges.stream().allMatch(split -> split instanceof JdbcSplit.KeyRange), keyRanges::toString);
            assertRoundTrips(keyRanges);

            List<? extends Split> withNulls = plan("h2", Map.of("url", url, "username", "sa", "table", "n",
                    "splitPk", "k"));
            assertTrue(withNulls.stream().anyMatch(split -> split instanceof JdbcSplit.NullKeys), withNulls::toString);
            assertRoundTrips(withNulls);

            List<? extends Split> whole = plan("h2", Map.of("url", url, "username", "sa", "table", "t"));
            assertEquals(List.of(JdbcSplit.Whole.class), whole.stream().map(Object::getClass).toList());
            assertJavaRoundTrip(whole.get(0));
            assertJacksonRoundTrip(whole.get(0));

            List<? extends Split> queries = plan("h2", Map.of("url", url, "username", "sa", "querySql",
                    List.of("SELECT \"id\" FROM \"t\" WHERE \"id\" < 10", "SELECT \"k\" AS \"id\" FROM \"n\"")));
            assertTrue(queries.stream().allMatch(split -> split instanceof JdbcSplit.Query), queries::toString);
            assertRoundTrips(queries);
            s.execute("SHUTDOWN");
        }
    }

    @Test
    void theTestsCoverEverySplitType() {
        Set<String> all = new TreeSet<>(List.of(RowRangeSplit.class.getName(), FileSplit.class.getName()));
        for (Class<?> jdbc : JdbcSplit.class.getPermittedSubclasses()) {
            all.add(jdbc.getName());
        }
        Set<String> covered = new TreeSet<>();
        COVERED.forEach(type -> covered.add(type.getName()));
        assertEquals(all, covered, "a split type without a round-trip test");
    }
}
