package dev.ferry.connector.duckdb;

import dev.ferry.connector.jdbc.Dialect;
import dev.ferry.connector.jdbc.JdbcConnectorFactory;
import dev.ferry.connector.jdbc.testing.JdbcSourceContract;
import dev.ferry.connector.jdbc.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The source contract on a DuckDB file (key walk with LIMIT/OFFSET, estimates from duckdb_tables()). */
class DuckDbSourceTest extends JdbcSourceContract {

    @TempDir
    static Path dir;

    @Override
    protected TestDatabase database() {
        return DuckDbFiles.file(dir, "source");
    }

    @Override
    protected JdbcConnectorFactory connector() {
        return new DuckDbConnector();
    }

    @Override
    protected Dialect dialect() {
        return new DuckDbDialect();
    }

    @Override
    protected String series(long from, long to) {
        return "SELECT range AS n FROM range(" + from + ", " + (to + 1) + ")";
    }

    @Override
    protected String slowQuery() {
        return null;
    }

    @Override
    protected String unreachableUrl(String password) {
        return DuckDbFiles.url(dir.resolve("no-such-directory"), "db") + ";password=" + password;
    }
}
