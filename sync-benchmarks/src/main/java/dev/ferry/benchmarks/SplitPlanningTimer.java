package dev.ferry.benchmarks;

import dev.ferry.connector.jdbc.Dialect;
import dev.ferry.connector.jdbc.JdbcSplit;
import dev.ferry.connector.jdbc.SplitColumn;
import dev.ferry.connector.jdbc.SplitPlanner;
import dev.ferry.connector.jdbc.TableName;
import dev.ferry.connector.mariadb.MariaDbDialect;
import dev.ferry.connector.postgresql.PostgresDialect;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Wall-clock time of planning a real table's splits, the walk of the key index against the plan
 * cut from the database's estimates, alternating, on one connection in one read transaction as the
 * SPLIT stage runs it. With {@code --check} it then counts every range of the last plan of each
 * kind and prints the largest range over the mean (that count reads the whole index: it is not
 * part of the timing). Not a JMH benchmark: one plan takes seconds, and what is measured is the
 * database's work, so a few timed runs after one untimed run say what is needed.
 *
 * <p>Run (what {@code sync-benchmarks/run-plan.sh} does):
 * {@code java -cp sync-benchmarks/target/benchmarks.jar dev.ferry.benchmarks.SplitPlanningTimer
 * postgresql jdbc:postgresql://127.0.0.1:5432/test?user=root ferry_plan_bench id 16 3 --check}
 */
public final class SplitPlanningTimer {

    private SplitPlanningTimer() {
    }

    public static void main(String[] args) throws SQLException {
        if (args.length < 6) {
            System.err.println("usage: SplitPlanningTimer postgresql|mariadb JDBC_URL TABLE COLUMN SPLITS RUNS [--check]");
            System.exit(2);
        }
        Dialect dialect = args[0].equals("mariadb") ? MariaDbDialect.mariadb() : new PostgresDialect();
        String table = args[2];
        String column = args[3];
        int splits = Integer.parseInt(args[4]);
        int runs = Integer.parseInt(args[5]);
        boolean check = args.length > 6 && args[6].equals("--check");
        SplitColumn split = SplitColumn.of(dialect.sql(), new TableName(null, table), column, null);
        SplitPlanner estimating = new SplitPlanner(dialect, table, split);
        SplitPlanner walking = estimating.walkingBelow(Long.MAX_VALUE);
        try (Connection connection = DriverManager.getConnection(args[1])) {
            long rows = dialect.estimateRows(connection, new TableName(null, table));
            System.out.printf(Locale.ROOT, "%s %s.%s: about %,d rows (statistics), %d splits wanted%n",
                    dialect.name(), table, column, rows, splits);
            SplitPlanner.Plan walked = null;
            SplitPlanner.Plan estimated = null;
            for (int run = 0; run <= runs; run++) {
                walked = time(connection, dialect, walking, splits, rows, run == 0 ? "walk (untimed warm-up)" : "walk");
                estimated = time(connection, dialect, estimating, splits, rows,
                        run == 0 ? "estimates (untimed warm-up)" : "estimates");
            }
            if (check) {
                System.out.println("walk:      " + balance(connection, dialect, split, walked));
                System.out.println("estimates: " + balance(connection, dialect, split, estimated));
            }
        }
    }

    private static SplitPlanner.Plan time(Connection connection, Dialect dialect, SplitPlanner planner, int splits,
                                          long rows, String what) throws SQLException {
        long started = System.nanoTime();
        dialect.beginRead(connection);
        SplitPlanner.Plan plan;
        try {
            plan = planner.plan(connection, splits, 10_000, rows, true);
        } finally {
            dialect.finishRead(connection);
        }
        System.out.printf(Locale.ROOT, "%-28s %8.0f ms  %4d splits  (%s)%n", what, (System.nanoTime() - started) / 1e6,
                plan.splits().size(), plan.method());
        return plan;
    }

    /** The rows of every key range of the plan, and the largest over the mean. */
    private static String balance(Connection connection, Dialect dialect, SplitColumn split, SplitPlanner.Plan plan)
            throws SQLException {
        List<Long> sizes = new ArrayList<>();
        for (JdbcSplit s : plan.splits()) {
            if (s instanceof JdbcSplit.KeyRange range) {
                String sql = "SELECT COUNT(*) FROM " + split.quotedTable() + " WHERE " + split.quotedColumn() + " IS NOT NULL"
                        + (range.lowerInclusive() == null ? "" : " AND " + split.quotedColumn() + " >= " + range.lowerInclusive())
                        + (range.upperExclusive() == null ? "" : " AND " + split.quotedColumn() + " < " + range.upperExclusive());
                try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    sizes.add(rs.getLong(1));
                }
            }
        }
        long total = sizes.stream().mapToLong(Long::longValue).sum();
        long largest = sizes.stream().mapToLong(Long::longValue).max().orElse(0);
        return String.format(Locale.ROOT, "%,d rows in %d ranges, largest %,d = %.2fx the mean; %s", total, sizes.size(),
                largest, largest / ((double) total / sizes.size()), sizes);
    }
}
