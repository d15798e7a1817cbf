package dev.ferry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.config.ConfigType;
import dev.ferry.api.config.Secret;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.Violation;
import dev.ferry.api.job.BufferSettings;
import dev.ferry.api.job.ConnectorSpec;
import dev.ferry.api.job.DirtyDataPolicy;
import dev.ferry.api.job.JobSettings;
import dev.ferry.api.job.RateLimit;
import dev.ferry.api.job.RetryPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiRecordsTest {

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void dataTypeNamesRoundTrip() {
        for (DataType type : DataType.values()) {
            assertEquals(type, DataType.fromName(type.typeName()));
        }
        assertEquals(DataType.TIMESTAMPTZ, DataType.fromName("TimestampTZ"));
        assertEquals("unknown type 'integer', expected one of boolean, int64, decimal, float64, string, bytes, date, "
                + "time, timestamp, timestamptz, json, null", message(() -> DataType.fromName("integer")));
        assertTrue(DataType.DATE.isLongBacked());
        assertTrue(DataType.JSON.isObjectBacked());
        assertFalse(DataType.BOOLEAN.isLongBacked());
    }

    @Test
    void schemaRejectsDuplicatesAndUnknownKeys() {
        Column id = Column.of("id", DataType.INT64);
        assertEquals("schema 't' has column 'id' twice", message(() -> TableSchema.of("t", List.of(id, id))));
        assertEquals("primary key column 'pk' is not a column of 't'",
                message(() -> new TableSchema("t", List.of(id), List.of("pk"))));
        assertEquals("schema 't' must have at least one column", message(() -> TableSchema.of("t", List.of())));
        assertEquals("precision of column 'x' must be >= 0, got -1",
                message(() -> new Column("x", DataType.DECIMAL, true, -1, 0, "")));
        TableSchema schema = new TableSchema("t", List.of(id, Column.of("Name", DataType.STRING)), List.of("id"));
        assertEquals(1, schema.indexOf("Name"));
        assertEquals(-1, schema.indexOf("name"));
    }

    @Test
    void settingsDefaultsAreTheDocumentedValues() {
        // The values of the README's settings table, spelled out: comparing DEFAULT with the
        // constants it is built from could never fail.
        JobSettings d = JobSettings.DEFAULT;
        assertEquals(4, d.concurrency());
        assertEquals(new RateLimit(0, 0), d.rateLimit());
        assertTrue(d.rateLimit().isUnlimited());
        assertFalse(new RateLimit(0, 1).isUnlimited());
        assertFalse(new RateLimit(1, 0).isUnlimited());
        assertEquals(new DirtyDataPolicy(null, null, null), d.dirtyData());
        assertEquals("default", d.resourceGroup());
        assertEquals(new RetryPolicy(3, 1000), d.retry());
        assertEquals(new BufferSettings(16_384, 16L << 20, 1024), d.buffer());
        assertEquals(10_000, d.progressIntervalMillis());
    }

    @Test
    void settingsRecordsNameKeyValueAndRule() {
        assertEquals("settings.concurrency must be >= 1, got 0", message(() -> JobSettings.DEFAULT.withConcurrency(0)));
        assertEquals("settings.rateLimit.bytesPerSecond must be >= 0, got -5", message(() -> new RateLimit(0, -5)));
        assertEquals("settings.dirtyData.maxPercent must be between 0 and 100, got 150.0",
                message(() -> new DirtyDataPolicy(null, 150.0, null)));
        assertEquals("settings.retry.maxAttempts must be >= 1, got 0", message(() -> new RetryPolicy(0, 1)));
        assertEquals("settings.buffer.batchSize must be between 1 and settings.buffer.records (10), got 11",
                message(() -> new BufferSettings(10, 4096, 11)));
        assertEquals("settings.progressIntervalMillis must be >= 100, got 10",
                message(() -> JobSettings.DEFAULT.withProgressIntervalMillis(10)));
    }

    @Test
    void retryBackoffDoubles() {
        RetryPolicy p = new RetryPolicy(5, 100);
        assertEquals(100, p.backoffBefore(2));
        assertEquals(200, p.backoffBefore(3));
        assertEquals(400, p.backoffBefore(4));
    }

    @Test
    void secretsAndConnectorSpecsNeverPrintPasswords() {
        Secret secret = new Secret("hunter2");
        assertEquals("******", secret.toString());
        assertFalse(new ConnectorSpec("pg", Map.of("password", "hunter2")).toString().contains("hunter2"));
        assertTrue(ConfigKey.optional("password", ConfigType.PASSWORD, null, "p").isSecret());
        assertEquals("required key 'x' cannot have a default",
                message(() -> new ConfigKey("x", ConfigType.STRING, true, "d", List.of(), "")));
    }

    @Test
    void violationsRenderAsOneMessage() {
        ConfigException one = new ConfigException(new Violation("settings.concurrency", "must be >= 1", "0"));
        assertEquals("invalid job: settings.concurrency must be >= 1, got 0", one.getMessage());
        ConfigException two = new ConfigException(List.of(new Violation("name", "is required", null),
                new Violation("source.rows", "must be >= 0", "-1")));
        assertEquals("invalid job (2 problems):\n  - name is required\n  - source.rows must be >= 0, got -1",
                two.getMessage());
        ConfigException task = new ConfigException("task", List.of(new Violation("target.kind", "must be upsert", "'x'")));
        assertEquals("invalid task: target.kind must be upsert, got 'x'", task.getMessage());
        assertEquals(List.of(new Violation("target.kind", "must be upsert", "'x'")), task.violations());
    }
}
