package dev.ferry.connector.jdbc;

import dev.ferry.connector.jdbc.testing.JdbcSourceContract;
import dev.ferry.connector.jdbc.testing.TestDatabase;

/**
 * The source contract through the generic {@code jdbc} connector, on H2: exercises standard SQL
 * and split planning by streaming the ordered keys (no window functions).
 */
class GenericDialectOnH2SourceTest extends JdbcSourceContract {

    private static final TestDatabase DATABASE = TestDatabase.h2("generic_source_test");

    @Override
    protected TestDatabase database() {
        return DATABASE;
    }

    @Override
    protected JdbcConnectorFactory connector() {
        return new GenericJdbcConnector();
    }

    @Override
    protected Dialect dialect() {
        return new GenericDialect();
    }

    @Override
    protected String series(long from, long to) {
        return "SELECT X AS n FROM SYSTEM_RANGE(" + from + ", " + to + ")";
    }

    @Override
    protected String slowQuery() {
        return null;
    }

    @Override
    protected String unreachableUrl(String password) {
        return "jdbc:h2:tcp://127.0.0.1:1/mem:nothing;PASSWORD=" + password;
    }
}
