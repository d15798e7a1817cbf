package dev.ferry.connector.duckdb;

import com.zaxxer.hikari.HikariConfig;
import dev.ferry.api.WriterContext;
import dev.ferry.connector.jdbc.BatchLoader;
import dev.ferry.connector.jdbc.GenericDialect;
import dev.ferry.connector.jdbc.JdbcEndpoint;
import dev.ferry.connector.jdbc.PartitionSql;
import dev.ferry.connector.jdbc.TableName;
import dev.ferry.connector.jdbc.WriteMode;
import dev.ferry.connector.jdbc.WritePlan;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/**
 * DuckDB through its own JDBC driver, which runs the database inside this JVM. Its types are
 * {@code DuckDbTypes}, its SQL {@code DuckDbSql} ({@code ON CONFLICT} upserts), its errors
 * {@code DuckDbErrors} (told apart by message, as the driver reports no SQLStates); the dialect
 * itself owns the connections, the bulk path and the statistics.
 *
 * <h2>Connections and database instances</h2>
 * DuckDB lets one process write a database file; inside that process every connection opened with
 * the same URL shares one database instance (the driver caches instances by path), and the instance
 * closes, releasing the file, with its last connection. A job's pools therefore open plain
 * {@code DriverManager} connections with the configured URL: a source and a target on the same file,
 * and every reader and writer of a pool, share one instance, and the file is free again once the
 * job's pools are closed. A second process that opens the file meanwhile fails with DuckDB's lock
 * error, and so does a job while another process holds the file.
 *
 * <p>An unnamed in-memory URL ({@code jdbc:duckdb:} or {@code jdbc:duckdb::memory:}) would give
 * every connection a database of its own, so that splits would write into databases nobody reads.
 * The dialect turns it into a named in-memory database private to the pool
 * ({@code jdbc:duckdb:memory:ferry_<random>}), shared by the pool's connections and gone when the
 * pool closes: useful for trying out and measuring a job, never for keeping data. A named in-memory
 * URL ({@code jdbc:duckdb:memory:orders}) is kept as it is, so it reaches the database the
 * application opened with the same name, which lives while any connection to it is open.
 *
 * <p>The pool passes the driver nothing but the URL: DuckDB refuses a connection whose options
 * differ from those the instance was opened with, so any option Ferry added would lock an
 * application that opened the same file without it out of its own database (and the reverse).
 * DuckDB has no users, so {@code username} and {@code password} are not passed either. Options go
 * in the URL ({@code jdbc:duckdb:/data/w.duckdb;jdbc_stream_results=true} streams results instead
 * of materialising each split's result inside DuckDB before the first row is read), and then every
 * connection to that file in the process needs the same ones. Each session is set to UTC
 * ({@code SET SESSION TimeZone}), which leaves other sessions alone.
 *
 * <h2>Writing</h2>
 * Inserts go through DuckDB's appender ({@link AppenderLoader}) when every column pair has an
 * appender form and the target's {@code appender} key is not false; upserts, updates and the other
 * inserts go as batched prepared statements. DuckDB has no savepoints and aborts the whole
 * transaction at the first failed statement ({@link #savepoints()} is false), so a row DuckDB
 * refuses fails its split with DuckDB's reason, and the split's transaction rolls back as a whole.
 * Appended rows and statements share the split's transaction, so replacing a slice of a table (a
 * {@code DELETE … WHERE day = ?} followed by the slice's rows) is atomic; partitioned change
 * targets swap a date's rows that way ({@link DuckDbPartitionSql}).
 */
public final class DuckDbDialect extends GenericDialect {

    private static final String PREFIX = "jdbc:duckdb:";

    private final DuckDbPartitionSql partitions;

    /** The DuckDB dialect. */
    public DuckDbDialect() {
        this(new DuckDbTypes());
    }

    private DuckDbDialect(DuckDbTypes types) {
        this(types, new DuckDbSql(types));
    }

    private DuckDbDialect(DuckDbTypes types, DuckDbSql sql) {
        super("duckdb", PREFIX, types, sql, new DuckDbErrors());
        this.partitions = new DuckDbPartitionSql(sql, types);
    }

    @Override
    public Optional<PartitionSql> partitions() {
        return Optional.of(partitions);
    }

    @Override
    public String urlExample() {
        return "jdbc:duckdb:/data/warehouse.duckdb (or jdbc:duckdb: in memory)";
    }

    /** An unnamed in-memory URL becomes a named in-memory database private to the pool; others stay. */
    @Override
    public String driverUrl(String url) {
        if (!isUnnamedInMemory(url)) {
            return url;
        }
        int options = url.indexOf(';');
        return PREFIX + "memory:ferry_" + UUID.randomUUID().toString().replace("-", "")
                + (options < 0 ? "" : url.substring(options));
    }

    /** Whether the URL names no database: {@code jdbc:duckdb:} or {@code jdbc:duckdb::memory:}, with options or not. */
    static boolean isUnnamedInMemory(String url) {
        int options = url.indexOf(';');
        String database = url.substring(PREFIX.length(), options < 0 ? url.length() : options).strip();
        return database.isEmpty() || database.equalsIgnoreCase(":memory:");
    }

    // ---------------------------------------------------------------- catalog

    @Override
    public long estimateRows(Connection connection, TableName table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT estimated_size FROM duckdb_tables() "
                + "WHERE database_name = current_database() AND schema_name = COALESCE(?, current_schema()) "
                + "AND table_name = ?")) {
            statement.setString(1, table.schema());
            statement.setString(2, table.name());
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    // ---------------------------------------------------------------- connections

    @Override
    public void configurePool(HikariConfig config, JdbcEndpoint endpoint) {
        // No users in DuckDB, and no driver properties: the driver would take user and password
        // for settings, and a setting that differs from the instance's refuses the connection.
        super.configurePool(config, new JdbcEndpoint(endpoint.url(), null, null, endpoint.connectTimeoutSeconds(),
                endpoint.socketTimeoutSeconds(), null));
        config.setConnectionInitSql("SET SESSION TimeZone = 'UTC'");
    }

    // ---------------------------------------------------------------- writing

    @Override
    public BatchLoader openLoader(WritePlan plan, Connection connection, WriterContext context) throws SQLException {
        if (plan.mode() == WriteMode.INSERT && plan.fastPath()) {
            BatchLoader appender = AppenderLoader.open(this, plan, connection, context);
            if (appender != null) {
                return appender;
            }
        }
        return super.openLoader(plan, connection, context);
    }

    @Override
    public boolean savepoints() {
        return false;
    }
}
