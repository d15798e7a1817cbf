package dev.ferry.connector.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.api.change.CapturedTable;
import dev.ferry.api.change.TableId;
import dev.ferry.api.change.TableMapping;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.ConfigException;
import dev.ferry.connector.jdbc.testing.TestDatabase;
import dev.ferry.engine.config.ConnectorConfigs;
import dev.ferry.engine.testing.RecordingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A change target's {@code tableMapping}: the entries it reads, which entry names a source
 * table's target, and several source tables merged into one target table (on H2).
 */
class JdbcChangeTargetTest {

    private static final TestDatabase H2 = TestDatabase.h2("change_target_test");

    private static JdbcChangeTargetConfig config(List<String> mapping, Object... more) {
        Map<String, Object> values = new LinkedHashMap<>(H2.options("tableMapping", mapping));
        for (int i = 0; i < more.length; i += 2) {
            values.put((String) more[i], more[i + 1]);
        }
        return JdbcChangeTargetConfig.from(ConnectorConfigs.validate("h2", "target", JdbcChangeTargetConfig.keys(), values),
                new H2Dialect());
    }

    private static String target(JdbcChangeTargetConfig config, String source) {
        return config.targetName(TableId.parse(source));
    }

    @Test
    void anExactEntryWinsOverAnEarlierRegularExpression() {
        JdbcChangeTargetConfig config = config(List.of("shop./orders_[0-9]+/=orders_all", "shop.orders_7=orders_seven"));
        assertEquals("orders_all", target(config, "shop.orders_1"));
        assertEquals("orders_seven", target(config, "shop.orders_7"));
    }

    @Test
    void theOtherEntriesAreTriedInTheOrderGiven() {
        JdbcChangeTargetConfig config = config(List.of("shop./orders_1.*/=first", "~./orders_[0-9]+/=any_schema",
                "shop./orders_.*/=shop_rest", "~.customers=all_customers", "shop.item_*=items"));
        assertEquals("first", target(config, "shop.orders_12"));
        assertEquals("any_schema", target(config, "shop.orders_2"));
        assertEquals("any_schema", target(config, "eu.orders_2"), "~ is any schema");
        assertEquals("shop_rest", target(config, "shop.orders_x"));
        assertEquals("orders_x", target(config, "eu.orders_x"), "no entry: the same name");
        assertEquals("all_customers", target(config, "eu.customers"));
        assertEquals("items", target(config, "shop.item_a"));
        assertEquals("itemxa", target(config, "shop.itemxa"), "_ in a pattern is literal");
    }

    @Test
    void tablesNoEntryMatchesTakeSchemaAndPrefix() {
        JdbcChangeTargetConfig config = config(List.of("shop./orders_[0-9]+/=sales.orders_all"), "schema", "ods",
                "tablePrefix", "t_");
        assertEquals("sales.orders_all", target(config, "shop.orders_3"));
        assertEquals("ods.t_orders_x", target(config, "shop.orders_x"));
    }

    @Test
    void aRegularExpressionMayHoldAnEqualsSign() {
        JdbcChangeTargetConfig config = config(List.of("shop./a=b|c/=merged", "shop.plain=x=y"));
        assertEquals("merged", target(config, "shop.a=b"));
        assertEquals("merged", target(config, "shop.c"));
        assertEquals("x=y", target(config, "shop.plain"), "the first = separates a plain entry");
    }

    @Test
    void everyBadEntryIsReportedWithTheKeyTheValueAndTheRule() {
        ConfigException e = assertThrows(ConfigException.class, () -> config(List.of("nodot", "noschema=t",
                "shop./orders_[/=t", "shop./a/=t", "shop./a/=u", "~./)/=t", "shop./open=t")));
        assertEquals("""
                invalid job (6 problems):
                  - target.tableMapping entries must be written schema.table=target, got 'nodot'
                  - target.tableMapping entries must be written schema.table=target, got 'noschema=t'
                  - target.tableMapping must hold a valid regular expression between the slashes (Unclosed character class near index 7), got 'shop./orders_[/=t'
                  - target.tableMapping must map each source table once, got 'shop./a/'
                  - target.tableMapping must hold a valid regular expression between the slashes (Unmatched closing ')'), got '~./)/=t'
                  - target.tableMapping must hold a valid regular expression between the slashes (no closing slash), got 'shop./open=t'""",
                e.getMessage());
    }

    @Test
    void theKeyDescribesTheForms() {
        String description = JdbcChangeTargetConfig.keys().stream().filter(k -> k.name().equals("tableMapping"))
                .findFirst().orElseThrow().description();
        assertEquals("Target tables for source tables that do not keep their name, each \"schema.table=target\" "
                + "(\"public.orders=sales.orders_copy\"). The left side may also be a pattern with * or a regular "
                + "expression between slashes that matches whole table names, and ~ any schema: "
                + "\"~./orders_[0-9]+/=orders_all\" merges every orders_N into one table (they must have the same key "
                + "columns, and keys unique across them). Exact names win; the other entries are tried in the order "
                + "given. Tables no entry matches go to the table of the same name.", description);
    }

    private static CapturedTable table(String id, List<String> key, String... columns) {
        List<Column> list = new java.util.ArrayList<>();
        for (String column : columns) {
            list.add(new Column(column, DataType.INT64, !key.contains(column), 0, 0, ""));
        }
        return new CapturedTable(TableId.parse(id), new TableSchema(id, list, key));
    }

    @Test
    void tablesMergedIntoOneTargetCreateItFromTheFirstAndAddTheColumnsOfTheOthers() {
        String merged = TestDatabase.uniqueName("merged");
        JdbcChangeTarget target = new JdbcChangeTarget(new H2Dialect(), config(List.of("shop./orders_[0-9]+/=" + merged)));
        try (target) {
            List<TableMapping> mappings = target.prepare(new RecordingContext("merge", 1), List.of(
                    table("shop.orders_0", List.of("id"), "id", "amount"),
                    table("shop.orders_1", List.of("id"), "id", "amount", "channel")));
            assertEquals(List.of(merged, merged), mappings.stream().map(TableMapping::target).toList());
            H2.execute("INSERT INTO \"" + merged + "\" (\"id\", \"amount\", \"channel\") VALUES (1, 2, 3)");
            assertEquals(1, H2.queryLong("SELECT COUNT(*) FROM \"" + merged + "\""));
        } finally {
            H2.execute("DROP TABLE IF EXISTS \"" + merged + "\"");
        }
    }

    @Test
    void tablesMergedIntoOneTargetMustAgreeOnTheirKeyAndNothingIsCreatedWhenTheyDoNot() {
        String merged = TestDatabase.uniqueName("merged");
        JdbcChangeTarget target = new JdbcChangeTarget(new H2Dialect(), config(List.of("~./orders_[0-9]+/=" + merged)));
        try (target) {
            ConfigException e = assertThrows(ConfigException.class, () -> target.prepare(new RecordingContext("merge", 1),
                    List.of(table("shop.orders_0", List.of("id"), "id", "region"),
                            table("eu.orders_1", List.of("region", "id"), "id", "region"),
                            table("eu.orders_2", List.of("id", "region"), "id", "region"))));
            assertEquals("invalid job: target.tableMapping must map only tables with the same key columns to one target "
                    + "table; shop.orders_0 has [id] and eu.orders_1 has [region, id], both mapped to " + merged + ", got '"
                    + merged + "'", e.getMessage());
            assertEquals(0, H2.queryLong("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = '" + merged + "'"));
        }
    }
}
