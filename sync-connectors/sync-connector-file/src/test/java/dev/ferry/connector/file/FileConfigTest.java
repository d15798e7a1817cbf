package dev.ferry.connector.file;

import dev.ferry.engine.config.ConnectorConfigs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.ConnectorFactory;
import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.config.ConnectorConfig;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.Violation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class FileConfigTest {

    private static final Path NOWHERE = Path.of("/nonexistent-ferry-dir");

    private static ConnectorConfig source(List<ConfigKey> keys, Object... keyValues) {
        return ConnectorConfigs.validate("csv", "source", keys, map(keyValues));
    }

    private static ConnectorConfig target(List<ConfigKey> keys, Object... keyValues) {
        return ConnectorConfigs.validate("csv", "target", keys, map(keyValues));
    }

    private static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    @Test
    void declaresKeysWithDefaults() {
        assertEquals(List.of("path", "columns", "header", "delimiter", "quote", "nullValue", "encoding"),
                new CsvConnector().sourceKeys().stream().map(ConfigKey::name).toList());
        assertEquals(List.of("path", "header", "delimiter", "quote", "nullValue", "encoding"),
                new CsvConnector().targetKeys().stream().map(ConfigKey::name).toList());
        assertEquals(List.of("path", "columns", "encoding"),
                new JsonlConnector().sourceKeys().stream().map(ConfigKey::name).toList());
        assertEquals(List.of("path", "encoding"), new JsonlConnector().targetKeys().stream().map(ConfigKey::name).toList());
        assertTrue(FileKeys.SOURCE_PATH.required());
        assertTrue(FileKeys.TARGET_PATH.required());
        assertEquals(true, FileKeys.HEADER.defaultValue());
        assertEquals(",", FileKeys.DELIMITER.defaultValue());
        assertEquals("\"", FileKeys.QUOTE.defaultValue());
        assertEquals("", FileKeys.NULL_VALUE.defaultValue());
        assertEquals("UTF-8", FileKeys.ENCODING.defaultValue());
    }

    @Test
    void csvSourceDefaults() {
        CsvSource source = new CsvConnector().createSource(source(FileKeys.CSV_SOURCE, "path", "x/*.csv"), NOWHERE);
        assertEquals(CsvFormat.DEFAULT, source.format());
        assertEquals(new CsvFormat(',', '"', true, ""), source.format());
        assertEquals(new FileSourceSettings(List.of("x/*.csv"), StandardCharsets.UTF_8, List.of()), source.settings);
    }

    @Test
    void csvSourceMapsEveryKey() {
        List<Column> columns = List.of(Column.of("a", DataType.INT64));
        CsvSource source = new CsvConnector().createSource(source(FileKeys.CSV_SOURCE, "path", List.of("a", "b"),
                "columns", columns, "header", false, "delimiter", ";", "quote", "'", "nullValue", "NULL",
                "encoding", "ISO-8859-1"), NOWHERE);
        assertEquals(new CsvFormat(';', '\'', false, "NULL"), source.format());
        assertEquals(new FileSourceSettings(List.of("a", "b"), StandardCharsets.ISO_8859_1, columns), source.settings);
    }

    @Test
    void creatingTouchesNoFileSystem() {
        // The path does not exist: only prepare() may find that out.
        assertInstanceOf(CsvSource.class, new CsvConnector().createSource(source(FileKeys.CSV_SOURCE, "path", "/no/such/dir/*.csv")));
        assertInstanceOf(JsonlSource.class, new JsonlConnector().createSource(source(FileKeys.JSONL_SOURCE, "path", "/no/such.jsonl")));
        assertInstanceOf(FileTarget.class, new CsvConnector().createTarget(target(FileKeys.CSV_TARGET, "path", "/no/such/dir/out.csv")));
        assertInstanceOf(FileTarget.class, new JsonlConnector().createTarget(target(FileKeys.JSONL_TARGET, "path", "/no/such/dir/")));
    }

    @Test
    void delimiterMustBeOneCharacter() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new CsvConnector().createSource(source(FileKeys.CSV_SOURCE, "path", "a.csv", "delimiter", ";;")));
        assertEquals(List.of(new Violation("source.delimiter", "must be a single character", "';;'")), e.violations());
        assertEquals("invalid job: source.delimiter must be a single character, got ';;'", e.getMessage());
        e = assertThrows(ConfigException.class,
                () -> new CsvConnector().createTarget(target(FileKeys.CSV_TARGET, "path", "o.csv", "delimiter", "")));
        assertEquals(List.of(new Violation("target.delimiter", "must be a single character", "''")), e.violations());
    }

    @Test
    void reportsEveryCsvViolationAtOnce() {
        ConfigException e = assertThrows(ConfigException.class, () -> new CsvConnector().createSource(source(
                FileKeys.CSV_SOURCE, "path", "a", "header", false, "delimiter", "\n", "quote", "ab",
                "encoding", "no-such-charset")));
        assertEquals(List.of(
                new Violation("source.encoding", "must be a character encoding this JVM supports, such as UTF-8",
                        "'no-such-charset'"),
                new Violation("source.delimiter", "must not be a line break", "'\n'"),
                new Violation("source.quote", "must be a single character", "'ab'"),
                new Violation("source.columns", "must be given when source.header is false", null)), e.violations());
    }

    @Test
    void quoteMustDifferFromDelimiterAndNullValueMustNotHoldThem() {
        ConfigException e = assertThrows(ConfigException.class, () -> new CsvConnector().createSource(source(
                FileKeys.CSV_SOURCE, "path", "a", "delimiter", ";", "quote", ";")));
        assertEquals(List.of(new Violation("source.quote", "must differ from the delimiter", "';'")), e.violations());
        e = assertThrows(ConfigException.class, () -> new CsvConnector().createTarget(target(
                FileKeys.CSV_TARGET, "path", "o.csv", "nullValue", "a,b")));
        assertEquals(List.of(new Violation("target.nullValue", "must not contain the delimiter, the quote or a line break",
                "'a,b'")), e.violations());
    }

    @Test
    void columnsMustBeUniqueAndNonEmptyWhenGiven() {
        List<Column> twice = new ArrayList<>(List.of(Column.of("a", DataType.INT64), Column.of("a", DataType.STRING)));
        ConfigException e = assertThrows(ConfigException.class, () -> new JsonlConnector().createSource(source(
                FileKeys.JSONL_SOURCE, "path", "a", "columns", twice)));
        assertEquals(List.of(new Violation("source.columns[1].name", "must be unique within source.columns", "'a'")),
                e.violations());
        e = assertThrows(ConfigException.class, () -> new JsonlConnector().createSource(source(
                FileKeys.JSONL_SOURCE, "path", "a", "columns", List.of())));
        assertEquals(List.of(new Violation("source.columns",
                "must be a non-empty list of {\"name\": …, \"type\": …} objects", "[]")), e.violations());
        e = assertThrows(ConfigException.class, () -> new JsonlConnector().createSource(source(
                FileKeys.JSONL_SOURCE, "path", List.of())));
        assertEquals(List.of(new Violation("source.path", "must be a string or a non-empty list of strings", "[]")),
                e.violations());
    }

    @Test
    void targetPathMustNotBeBlank() {
        ConfigException e = assertThrows(ConfigException.class, () -> new JsonlConnector().createTarget(target(
                FileKeys.JSONL_TARGET, "path", " ", "encoding", "bogus")));
        assertEquals(List.of(new Violation("target.path", "must not be blank", "' '"),
                new Violation("target.encoding", "must be a character encoding this JVM supports, such as UTF-8", "'bogus'")),
                e.violations());
    }

    @Test
    void formatRecordValidatesDirectly() {
        assertEquals("delimiter and quote must differ, both are '\"'",
                assertThrows(IllegalArgumentException.class, () -> new CsvFormat('"', '"', true, "")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CsvFormat('\n', '"', true, ""));
        assertThrows(IllegalArgumentException.class, () -> new CsvFormat(',', '"', true, "\"x"));
    }

    @Test
    void bothConnectorsAreServices() {
        List<String> names = new ArrayList<>();
        ServiceLoader.load(ConnectorFactory.class).forEach(f -> names.add(f.name()));
        assertTrue(names.containsAll(List.of("csv", "jsonl")), names::toString);
    }
}
