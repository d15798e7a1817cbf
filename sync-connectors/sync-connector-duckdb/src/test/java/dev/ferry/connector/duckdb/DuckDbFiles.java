package dev.ferry.connector.duckdb;

import dev.ferry.connector.jdbc.testing.TestDatabase;
import java.nio.file.Path;

/** DuckDB databases for tests: a file in a temporary directory, reached with the plain file URL. */
final class DuckDbFiles {

    private DuckDbFiles() {
    }

    /** The database file {@code name}.duckdb in {@code dir}; DuckDB creates it on first connect. */
    static TestDatabase file(Path dir, String name) {
        return new TestDatabase("DuckDB", url(dir, name), null, null);
    }

    static String url(Path dir, String name) {
        return "jdbc:duckdb:" + dir.resolve(name + ".duckdb").toAbsolutePath().toString().replace('\\', '/');
    }
}
