package dev.ferry.connector.generator;

import dev.ferry.engine.config.ConnectorConfigs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.Violation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GeneratorSettingsTest {

    private static GeneratorSettings settings(Map<String, Object> values) {
        return GeneratorSettings.from(ConnectorConfigs.validate("generator", "source", GeneratorSettings.KEYS, values));
    }

    @Test
    void declaresRowsRequiredAndDefaultsSeedAndColumns() {
        assertEquals(List.of("rows", "seed", "columns"), GeneratorSettings.KEYS.stream().map(ConfigKey::name).toList());
        assertTrue(GeneratorSettings.ROWS.required());
        assertEquals(42L, GeneratorSettings.SEED.defaultValue());
        assertEquals(GeneratorSettings.DEFAULT_COLUMNS, GeneratorSettings.COLUMNS.defaultValue());
    }

    @Test
    void fillsDefaults() {
        GeneratorSettings s = settings(Map.of("rows", 10L));
        assertEquals(10, s.rows());
        assertEquals(42, s.seed());
        assertEquals(List.of("id", "name", "amount", "created_at", "active"),
                s.columns().stream().map(Column::name).toList());
        assertEquals(List.of(DataType.INT64, DataType.STRING, DataType.FLOAT64, DataType.TIMESTAMP, DataType.BOOLEAN),
                s.columns().stream().map(Column::type).toList());
    }

    @Test
    void mapsGivenValues() {
        List<Column> columns = List.of(Column.of("x", DataType.DATE));
        GeneratorSettings s = settings(Map.of("rows", 7L, "seed", -3L, "columns", columns));
        assertEquals(new GeneratorSettings(7, -3, columns), s);
    }

    @Test
    void schemaUsesAnInt64IdAsPrimaryKey() {
        TableSchema schema = settings(Map.of("rows", 1L)).schema();
        assertEquals("generator", schema.name());
        assertEquals(List.of("id"), schema.primaryKey());

        TableSchema noId = settings(Map.of("rows", 1L, "columns",
                List.of(Column.of("id", DataType.STRING), Column.of("v", DataType.INT64)))).schema();
        assertEquals(List.of(), noId.primaryKey());
    }

    @Test
    void rejectsNegativeRows() {
        ConfigException e = assertThrows(ConfigException.class, () -> settings(Map.of("rows", -1L)));
        assertEquals(List.of(new Violation("source.rows", "must be >= 0", "-1")), e.violations());
        assertEquals("invalid job: source.rows must be >= 0, got -1", e.getMessage());
        assertEquals(ErrorKind.CONFIGURATION, e.kind());
    }

    @Test
    void reportsEveryViolationAtOnce() {
        List<Column> columns = List.of(Column.of("a", DataType.INT64), Column.of("a", DataType.STRING));
        ConfigException e = assertThrows(ConfigException.class,
                () -> settings(Map.of("seed", "x", "columns", columns)));
        assertEquals(List.of(
                "source.columns[1].name must be unique within source.columns, got 'a'",
                "source.rows is required (integer (64-bit): How many rows to generate (>= 0).)",
                "source.seed must be an integer between -9223372036854775808 and 9223372036854775807, got 'x'"),
                e.violations().stream().map(Violation::message).sorted().toList());
    }

    @Test
    void factoryRejectsNegativeRows() {
        ConfigException e = assertThrows(ConfigException.class, () -> settings(Map.of("rows", -5L)));
        assertEquals(List.of(new Violation("source.rows", "must be >= 0", "-5")), e.violations());
    }

    @Test
    void rejectsNoColumns() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> settings(Map.of("rows", 1L, "columns", List.of())));
        assertEquals("invalid job: source.columns must be a non-empty list of {\"name\": …, \"type\": …} objects, got []",
                e.getMessage());
    }

    @Test
    void recordRejectsInvalidValuesDirectly() {
        assertThrows(IllegalArgumentException.class, () -> new GeneratorSettings(-1, 0, GeneratorSettings.DEFAULT_COLUMNS));
        assertThrows(IllegalArgumentException.class, () -> new GeneratorSettings(1, 0, List.of()));
    }
}
