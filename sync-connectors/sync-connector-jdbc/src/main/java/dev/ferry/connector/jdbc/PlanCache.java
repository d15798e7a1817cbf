package dev.ferry.connector.jdbc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ferry.api.change.TableId;
import dev.ferry.api.data.TableSchema;
import java.sql.SQLException;

/**
 * A change writer's plans, one per schema version of a source table, in a bounded cache so that a
 * stream over thousands of tables keeps only the recently used ones.
 *
 * <p>Threading: one writer thread.
 *
 * @param <P> what a plan is
 */
final class PlanCache<P> {

    /** Makes the plan of a schema version seen the first time. */
    @FunctionalInterface
    interface Planner<P> {
        P plan(TableId table, TableSchema schema) throws SQLException;
    }

    static final int MAX_PLANS = 1_024;

    private record Key(TableId table, TableSchema schema) {
    }

    private final Cache<Key, P> plans = Caffeine.newBuilder().maximumSize(MAX_PLANS).build();

    /** The plan of the table's schema version, made by {@code planner} when missing. */
    P get(TableId table, TableSchema schema, Planner<P> planner) throws SQLException {
        Key key = new Key(table, schema);
        P plan = plans.getIfPresent(key);
        if (plan == null) {
            plan = planner.plan(table, schema);
            plans.put(key, plan);
        }
        return plan;
    }
}
