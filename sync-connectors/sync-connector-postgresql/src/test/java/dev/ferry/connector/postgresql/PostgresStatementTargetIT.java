package dev.ferry.connector.postgresql;

/** The PostgreSQL target contract again with {@code copy: false}: batched INSERT statements. */
class PostgresStatementTargetIT extends PostgresTargetIT {

    @Override
    protected Object[] extraTargetKeys() {
        return new Object[] {PostgresConnector.COPY, false};
    }
}
