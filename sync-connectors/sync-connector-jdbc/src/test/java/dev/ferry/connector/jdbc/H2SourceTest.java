package dev.ferry.connector.jdbc;

import dev.ferry.connector.jdbc.testing.JdbcSourceContract;
import dev.ferry.connector.jdbc.testing.TestDatabase;

/** The source contract on embedded H2 with the h2 connector (server-side quantiles). */
class H2SourceTest extends JdbcSourceContract {

    private static final TestDatabase DATABASE = TestDatabase.h2("h2_source_test");

    @Override
    protected TestDatabase database() {
        return DATABASE;
    }

    @Override
    protected JdbcConnectorFactory connector() {
        return new H2Connector();
    }

    @Override
    protected Dialect dialect() {
        return new H2Dialect();
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
