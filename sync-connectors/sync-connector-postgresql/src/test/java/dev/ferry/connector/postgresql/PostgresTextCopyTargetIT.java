package dev.ferry.connector.postgresql;

/** The PostgreSQL target contract again with {@code copyFormat: text}. */
class PostgresTextCopyTargetIT extends PostgresTargetIT {

    @Override
    protected Object[] extraTargetKeys() {
        return new Object[] {PostgresConnector.COPY_FORMAT, "text"};
    }
}
