package dev.ferry.benchmarks;

import dev.ferry.api.change.CapturedTable;
import dev.ferry.api.change.ChangeBatch;
import dev.ferry.api.change.ChangeKind;
import dev.ferry.api.change.ChangeTarget;
import dev.ferry.api.change.ChangeWriter;
import dev.ferry.api.change.TableId;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.job.ConnectorSpec;
import dev.ferry.api.job.JobMode;
import dev.ferry.api.job.JobSettings;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.state.Position;
import dev.ferry.connector.postgresql.capture.PgLsn;
import dev.ferry.engine.config.ConnectorCatalog;
import dev.ferry.engine.config.JobValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The change log of a {@code partitioned} target measured through its change writer: C changes of
 * one table (a third inserts, a third updates, a third deletes, keys spread over the table) written
 * in batches of B and committed after each batch, as a stream's channel writes them, into an
 * embedded DuckDB warehouse (the default) or a PostgreSQL database. The log's rows are counted at the
 * end; the table is dropped.
 *
 * <pre>{@code
 * java -cp sync-benchmarks/target/benchmarks.jar dev.ferry.benchmarks.ChangeLogBenchmark 200000 1024
 * java -cp sync-benchmarks/target/benchmarks.jar dev.ferry.benchmarks.ChangeLogBenchmark 200000 1024 \
 *     jdbc:postgresql://127.0.0.1:5432/root?user=root
 * }</pre>
 */
public final class ChangeLogBenchmark {

    private static final TableSchema SCHEMA = new TableSchema("bench.events", List.of(Column.of("id", DataType.INT64),
            Column.of("customer", DataType.INT64), Column.of("status", DataType.STRING)), List.of("id"));
    private static final TableId TABLE = new TableId("bench", "events");

    private ChangeLogBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long changes = args.length > 0 ? Long.parseLong(args[0]) : 200_000L;
        int batchSize = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
        Path dir = Files.createTempDirectory("ferry-log-bench");
        String url = args.length > 2 ? args[2]
                : "jdbc:duckdb:" + dir.resolve("warehouse.duckdb").toString().replace('\\', '/');
        boolean duckdb = url.startsWith("jdbc:duckdb:");
        String schema = duckdb ? "main" : "ferry_log_bench";
        if (!duckdb) {
            execute(url, "CREATE SCHEMA IF NOT EXISTS " + schema);
        }
        Map<String, Object> target = new HashMap<>(Map.of("url", url, "partitioned", true, "schema", schema));
        JobValidator.ValidatedStream stream = new JobValidator(ConnectorCatalog.discover(
                ChangeLogBenchmark.class.getClassLoader(), List.of()), List.of(JobSettings.DEFAULT_RESOURCE_GROUP))
                .validateStream(new JobSpec("log-bench", JobMode.STREAM,
                        new ConnectorSpec("h2", Map.of("url", "jdbc:h2:mem:unused", "tables", List.of("bench.events"))),
                        new ConnectorSpec(duckdb ? "duckdb" : "postgresql", target), JobSettings.DEFAULT));
        ChangeTarget changeTarget = stream.target();
        try {
            BenchContext context = new BenchContext("log-bench");
            changeTarget.prepare(context, List.of(new CapturedTable(TABLE, SCHEMA)));
            long start = System.nanoTime();
            long written = 0;
            try (ChangeWriter writer = changeTarget.createWriter(context)) {
                for (long first = 0; first < changes; first += batchSize) {
                    Changes batch = new Changes(first, (int) Math.min(batchSize, changes - first));
                    writer.write(batch);
                    writer.commit();
                    written += batch.size();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long logged = count(url, schema + ".events_log");
            System.out.printf("%s: %,d changes logged in batches of %,d in %.2f s: %,.0f changes/s (log holds %,d)%n",
                    duckdb ? "duckdb" : "postgresql", written, batchSize, seconds, written / seconds, logged);
        } finally {
            changeTarget.close();
            stream.source().close();
            if (!duckdb) {
                execute(url, "DROP SCHEMA " + schema + " CASCADE");
            }
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void execute(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long count(String url, String table) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Rows {@code first} .. {@code first + size - 1} of the change stream, each its own position. */
    private record Changes(long first, int size) implements ChangeBatch {

        @Override
        public TableId table() {
            return TABLE;
        }

        @Override
        public TableSchema schema() {
            return SCHEMA;
        }

        @Override
        public ChangeKind kind(int row) {
            return switch ((int) ((first + row) % 3)) {
                case 0 -> ChangeKind.INSERT;
                case 1 -> ChangeKind.UPDATE;
                default -> ChangeKind.DELETE;
            };
        }

        @Override
        public boolean isUnchanged(int row, int column) {
            return false;
        }

        @Override
        public Position position(int row) {
            return new PgLsn(1_000 + first + row);
        }

        @Override
        public long commitMicros(int row) {
            return 1_764_590_400_000_000L + (first + row) * 1_000; // 2025-12-01T12:00Z onwards, a change per ms
        }

        @Override
        public long sequence(int row) {
            return 0;
        }

        @Override
        public boolean isNull(int row, int column) {
            return column == 2 && kind(row) == ChangeKind.DELETE;
        }

        @Override
        public boolean getBoolean(int row, int column) {
            throw new UnsupportedOperationException("no boolean columns");
        }

        @Override
        public long getLong(int row, int column) {
            long i = first + row;
            return column == 0 ? (i * 7919) % 1_000_000 : i % 100_000;
        }

        @Override
        public double getDouble(int row, int column) {
            return getLong(row, column);
        }

        @Override
        public Object getObject(int row, int column) {
            return column == 2 ? (kind(row) == ChangeKind.INSERT ? "NEW" : "PAID") : getLong(row, column);
        }

        @Override
        public long rowBytes(int row) {
            return 24;
        }
    }
}
