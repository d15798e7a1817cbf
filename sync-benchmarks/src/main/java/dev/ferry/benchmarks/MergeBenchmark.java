package dev.ferry.benchmarks;

import dev.ferry.api.JobContext;
import dev.ferry.api.change.CapturedTable;
import dev.ferry.api.change.ChangeTarget;
import dev.ferry.api.change.SupportsPartitions;
import dev.ferry.api.change.TableId;
import dev.ferry.api.change.TableMapping;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.job.ConnectorSpec;
import dev.ferry.api.job.JobMode;
import dev.ferry.api.job.JobSettings;
import dev.ferry.api.job.JobSpec;
import dev.ferry.engine.config.ConnectorCatalog;
import dev.ferry.engine.config.JobValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The Incremental Merge measured end to end on an embedded DuckDB warehouse: a partition of N rows
 * for day D-1 and a day's change log of C changes (a third updates, a third deletes, a third new
 * keys, several changes per key), then {@code merge(D, D-1)} through the partitioned change target,
 * timed; and the same merge again (idempotent, so it gives the same partition).
 *
 * <p>The partition and the log are filled with SQL (a bulk insert), since the merge is what is
 * measured; their layout is the target's own, created by its {@code prepare}.
 *
 * <pre>{@code
 * java -cp sync-benchmarks/target/benchmarks.jar dev.ferry.benchmarks.MergeBenchmark 10000000 1000000
 * }</pre>
 */
public final class MergeBenchmark {

    private static final LocalDate DAY = LocalDate.of(2026, 12, 1);

    private MergeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        long changes = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000L;
        Path dir = Files.createTempDirectory("ferry-merge-bench");
        String url = "jdbc:duckdb:" + dir.resolve("warehouse.duckdb").toString().replace('\\', '/');
        TableSchema schema = new TableSchema("bench.orders", List.of(Column.of("id", DataType.INT64),
                Column.of("customer", DataType.INT64), Column.of("status", DataType.STRING)), List.of("id"));
        JobValidator.ValidatedStream stream = new JobValidator(ConnectorCatalog.discover(
                MergeBenchmark.class.getClassLoader(), List.of()), List.of(JobSettings.DEFAULT_RESOURCE_GROUP))
                .validateStream(new JobSpec("merge-bench", JobMode.STREAM,
                        new ConnectorSpec("h2", Map.of("url", "jdbc:h2:mem:unused", "tables", List.of("bench.orders"))),
                        new ConnectorSpec("duckdb", Map.of("url", url, "partitioned", true, "schema", "main",
                                "partitionDate", DAY.minusDays(1).toString())), JobSettings.DEFAULT));
        ChangeTarget target = stream.target();
        try {
            JobContext context = new BenchContext("merge-bench");
            TableMapping table = target.prepare(context, List.of(new CapturedTable(new TableId("bench", "orders"),
                    schema))).get(0);
            SupportsPartitions partitions = (SupportsPartitions) target;
            long filled = System.nanoTime();
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("INSERT INTO main.orders (id, customer, status, ds) SELECT i, i % 100000, 'NEW', '"
                        + partitions.partitioning().value(DAY.minusDays(1)) + "' FROM range(" + rows + ") t(i)");
                s.execute("INSERT INTO main._ferry_partitions VALUES ('orders', '"
                        + partitions.partitioning().value(DAY.minusDays(1)) + "')");
                // Changes on keys spread over the table, three kinds, several per key, in log order.
                s.execute("INSERT INTO main.orders_log SELECT CASE i % 3 WHEN 0 THEN 'U' WHEN 1 THEN 'D' ELSE 'I' END, "
                        + "lpad(CAST(i AS VARCHAR), 19, '0'), 0, TIMESTAMPTZ '2026-12-01 12:00:00+00', '"
                        + partitions.partitioning().value(DAY) + "', CASE i % 3 WHEN 2 THEN " + rows + " + i ELSE "
                        + "(i * 7919) % " + rows + " END, i % 100000, CASE i % 3 WHEN 1 THEN NULL ELSE 'PAID' END "
                        + "FROM range(" + changes + ") t(i)");
            }
            System.out.printf("filled a partition of %,d rows and a log of %,d changes in %.1f s%n", rows, changes,
                    (System.nanoTime() - filled) / 1e9);
            for (int run = 1; run <= 2; run++) {
                long start = System.nanoTime();
                long merged = partitions.merge(context, table, DAY, DAY.minusDays(1));
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("merge %d: partition of %s built from %,d rows and %,d changes: %,d rows in %.2f s "
                        + "(%,.0f rows/s of the previous partition)%n", run, DAY, rows, changes, merged, seconds,
                        rows / seconds);
            }
        } finally {
            target.close();
            stream.source().close();
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
