package dev.ferry.connector.jdbc;

import dev.ferry.connector.jdbc.testing.JdbcTargetContract;
import dev.ferry.connector.jdbc.testing.TestDatabase;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/** The target contract through the generic {@code jdbc} connector (standard MERGE upserts), on H2. */
class GenericDialectOnH2TargetTest extends JdbcTargetContract {

    private static final TestDatabase DATABASE = TestDatabase.h2("generic_target_test");

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
    protected List<Pattern> dirtyReasons() {
        return List.of(Pattern.compile("(?i)value too long"), Pattern.compile("(?i)NULL not allowed"),
                Pattern.compile("(?i)out of range"), Pattern.compile("(?i)cannot parse \"DATE\""));
    }

    @Override
    @Test
    @Disabled("the generic dialect knows no statement that kills a session")
    protected void killedConnectionIsRetriableAndTheRetriedSplitHasNoDuplicatesOrGaps() {
    }

    @Override
    @Test
    @Disabled("the generic dialect knows no statement that kills a session")
    protected void killedConnectionAtCommitIsRetriable() {
    }
}
