package dev.ferry.connector.jdbc;

import dev.ferry.connector.jdbc.testing.JdbcTargetContract;
import dev.ferry.connector.jdbc.testing.TestDatabase;
import java.util.List;
import java.util.regex.Pattern;

/** The target contract on embedded H2 (MERGE … KEY upserts, batched inserts). */
class H2TargetTest extends JdbcTargetContract {

    private static final TestDatabase DATABASE = TestDatabase.h2("h2_target_test");

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
    protected List<Pattern> dirtyReasons() {
        return List.of(Pattern.compile("(?i)value too long"), Pattern.compile("(?i)NULL not allowed"),
                Pattern.compile("(?i)out of range"), Pattern.compile("(?i)cannot parse \"DATE\""));
    }
}
