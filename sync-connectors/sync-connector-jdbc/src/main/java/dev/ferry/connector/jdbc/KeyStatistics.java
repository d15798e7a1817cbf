package dev.ferry.connector.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A dialect capability: estimates of how a split column's values spread over a table's rows,
 * drawn from what the database keeps (a histogram, index dives) or a small sample, in time that
 * does not grow with the table. {@link SplitPlanner} cuts balanced key ranges from them instead
 * of walking the whole key index.
 *
 * <p>Estimates only decide where ranges are cut, never which rows a range holds: stale or wrong
 * statistics cost balance, not rows. Called on the job's driver thread while splits are planned,
 * on the planning connection and inside its transaction (a snapshot's, for consistent reads): an
 * implementation must not run a statement that could fail for want of statistics, since on
 * PostgreSQL that would abort the transaction.
 */
public interface KeyStatistics {

    /**
     * Opens estimates for one plan of {@code column}, or empty when the database has nothing to
     * estimate from (the planner then walks the key index). May block on the database.
     *
     * @param splitCount the number of ranges wanted, so that a sample can be sized to it
     */
    Optional<KeyEstimates> keyEstimates(Connection connection, SplitColumn column, int splitCount) throws SQLException;
}
