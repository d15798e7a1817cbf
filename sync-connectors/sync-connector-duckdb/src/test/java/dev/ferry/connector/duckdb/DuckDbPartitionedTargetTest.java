package dev.ferry.connector.duckdb;

import dev.ferry.connector.jdbc.Dialect;
import dev.ferry.connector.jdbc.testing.PartitionedTargetContract;
import dev.ferry.connector.jdbc.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The partitioned change target contract on a DuckDB file: plain tables, dates swapped by delete and insert. */
class DuckDbPartitionedTargetTest extends PartitionedTargetContract {

    @TempDir
    static Path dir;

    @Override
    protected TestDatabase database() {
        return DuckDbFiles.file(dir, "partitioned");
    }

    @Override
    protected Dialect dialect() {
        return new DuckDbDialect();
    }

    @Override
    protected String schema() {
        return null;
    }
}
