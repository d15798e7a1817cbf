package dev.ferry.connector.jdbc;

import java.sql.SQLException;
import java.util.List;

/**
 * Row estimates for key ranges of one split column, for one plan. Obtained from
 * {@link KeyStatistics}; used by one planning thread, then dropped.
 */
public interface KeyEstimates {

    /**
     * Keys, ascending, that the database's statistics believe cut the rows into about equal parts
     * (a histogram's bounds); empty when there are none. They may be stale: the planner only
     * starts from them and checks every part with {@link #rows}.
     */
    List<Long> hints();

    /**
     * The estimated number of rows whose key lies in {@code [lowest, highest]} (both inclusive,
     * {@code lowest <= highest}), found without reading the range's rows. May block on the database.
     */
    double rows(long lowest, long highest) throws SQLException;

    /** Where the estimates come from, for the plan's log line ("a 1.2% block sample"). */
    String source();
}
