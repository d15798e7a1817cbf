package dev.ferry.engine.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.Source;
import dev.ferry.api.SourceFactory;
import dev.ferry.api.Target;
import dev.ferry.api.TargetFactory;
import dev.ferry.api.change.ChangeSource;
import dev.ferry.api.change.ChangeTarget;
import dev.ferry.api.change.SupportsChangeApply;
import dev.ferry.api.change.SupportsChangeCapture;
import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.config.ConfigType;
import dev.ferry.api.config.ConnectorConfig;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.Violation;
import dev.ferry.api.task.TableRule;
import dev.ferry.api.task.TargetKind;
import dev.ferry.api.task.TaskSpec;
import dev.ferry.engine.SyncEngine;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskFileTest {

    /** A connector with the streaming keys of a database connector, for checking task files' connector blocks. */
    private static final class Db implements SourceFactory, TargetFactory, SupportsChangeCapture, SupportsChangeApply {
        private static final List<ConfigKey> CONNECTION = List.of(
                ConfigKey.required("url", ConfigType.STRING, "url"),
                ConfigKey.optional("username", ConfigType.STRING, null, "user"),
                ConfigKey.optional("password", ConfigType.PASSWORD, null, "password"));

        @Override
        public String name() {
            return "db";
        }

        @Override
        public String description() {
            return "database";
        }

        @Override
        public List<ConfigKey> sourceKeys() {
            return CONNECTION;
        }

        @Override
        public Source createSource(ConnectorConfig config) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<ConfigKey> targetKeys() {
            return CONNECTION;
        }

        @Override
        public Target createTarget(ConnectorConfig config) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<ConfigKey> captureKeys() {
            List<ConfigKey> keys = new java.util.ArrayList<>(CONNECTION);
            keys.add(ConfigKey.required("tables", ConfigType.STRING_LIST, "tables"));
            keys.add(ConfigKey.optional("capture.startFrom", ConfigType.STRING, "snapshot", "start"));
            return keys;
        }

        @Override
        public ChangeSource createChangeSource(ConnectorConfig config) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<ConfigKey> applyKeys() {
            return CONNECTION;
        }

        @Override
        public ChangeTarget createChangeTarget(ConnectorConfig config) {
            throw new UnsupportedOperationException();
        }
    }

    private static SyncEngine engine() {
        return SyncEngine.builder().connector(new Db()).build();
    }

    @Test
    void aTaskFileWithEveryFormOfTableAndShards() {
        try (SyncEngine engine = engine()) {
            TaskSpec task = engine.parseTask("""
                    {"name": "shop",
                     "source": {"connector": "db", "username": "app", "password": "s3cret-pw",
                                "tables": ["public.orders", "inventory.*",
                                           {"name": "sales.orders", "physical": "orders_[0-9]+", "splitPk": "id"},
                                           {"name": "public.customers", "target": "crm_customers"}],
                                "shards": [{"url": "jdbc:x://a/db"}, {"url": "jdbc:x://b/db", "password": "other-pw"}],
                                "capture": {"startFrom": "latest"}},
                     "target": {"connector": "db", "url": "jdbc:x://t/db", "kind": "upsert", "schema": "mirror",
                                "tablePrefix": "src_"},
                     "realtime": false,
                     "settings": {"concurrency": 2}}
                    """);
            assertEquals("shop", task.name());
            assertEquals(List.of(TableRule.of("public.orders"), TableRule.of("inventory.*"),
                    new TableRule("sales.orders", "orders_[0-9]+", "id", null),
                    new TableRule("public.customers", null, null, "crm_customers")), task.tables());
            assertTrue(task.tables().get(1).isPattern());
            assertEquals(2, task.shards().size());
            assertNull(task.shards().get(0).password(), "a shard without a password uses the source's");
            assertEquals("other-pw", task.shards().get(1).password().value());
            assertTrue(task.isSharded());
            assertEquals(TargetKind.UPSERT, task.kind());
            assertEquals("mirror", task.targetSchema());
            assertEquals("src_", task.tablePrefix());
            assertFalse(task.realtime());
            assertEquals(2, task.settings().concurrency());
            assertFalse(task.source().options().containsKey("tables"), "the task owns tables");
            assertEquals("latest", task.source().options().get("capture.startFrom"));
            assertFalse(task.target().options().containsKey("kind"));
            assertFalse(task.shards().get(1).toString().contains("other-pw"));
        }
    }

    @Test
    void everyProblemOfABrokenTaskFileIsReportedAtOnceWithKeyValueAndRuleAndNoPassword() {
        try (SyncEngine engine = engine()) {
            ConfigException e = assertThrows(ConfigException.class, () -> engine.parseTask("""
                    {"name": "bad name!", "colour": "blue", "realtime": "yes",
                     "source": {"connector": "db", "url": "jdbc:x://a/db", "password": "hunter2-secret", "extra": 1,
                                "tables": ["orders", {"name": "s.*", "target": "x"}, {"name": "s.t", "physical": "(",
                                          "shape": 3}, "public.orders", "public.orders"],
                                "shards": [{"url": "jdbc:x://b/db"}]},
                     "target": {"connector": "db", "kind": "mirror", "tablePrefix": 7},
                     "settings": {"concurrency": 0}}
                    """));
            List<String> messages = e.violations().stream().map(Violation::toString).toList();
            for (String expected : List.of(
                    "colour is not a known key (known keys: name, source, target, realtime, settings)",
                    "name must be 1 to 100 letters, digits, '_', '.' or '-', starting with a letter or digit, got \"bad name!\"",
                    "realtime must be true or false, got \"yes\"",
                    "source.tables[0] must be schema.table or schema.* (a pattern may use * in the table part), got 'orders'",
                    "source.tables[1] cannot set splitPk or target for a pattern (they name one table), got 's.*'",
                    "source.tables[2].shape is not a known key (known keys: name, physical, splitPk, target)",
                    "source.tables[4] must not repeat a table, got 'public.orders'",
                    "source.shards must be a list of at least two endpoints ({\"url\": …})",
                    "target.kind must be upsert or partitioned, got \"mirror\"",
                    "target.tablePrefix must be a non-blank string, got 7",
                    "settings.concurrency must be >= 1, got 0",
                    "source.extra is not a key of connector 'db'",
                    "target.url is required")) {
                assertTrue(messages.stream().anyMatch(m -> m.startsWith(expected)), expected + " missing from:\n"
                        + String.join("\n", messages));
            }
            assertTrue(messages.stream().anyMatch(m -> m.startsWith("source.tables[2].physical must be a regular expression")),
                    String.join("\n", messages));
            assertFalse(e.getMessage().contains("hunter2-secret"), e.getMessage());
        }
    }
}
