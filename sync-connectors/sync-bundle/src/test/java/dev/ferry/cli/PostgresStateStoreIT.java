package dev.ferry.cli;

/**
 * The state store in PostgreSQL's shared table, as {@code --state jdbc:postgresql://…} uses it. The
 * test server trusts every existing role whatever its password, so the refused login names a role
 * that does not exist.
 */
class PostgresStateStoreIT extends ServerStateStoreContract {

    PostgresStateStoreIT() {
        super(StreamJar.POSTGRES_SOURCE + "?user=root", StreamJar.POSTGRES_SOURCE + "?user=ferry_no_such_role&password=%s",
                "SELECT pid FROM pg_stat_activity WHERE pg_backend_pid() = ANY (pg_blocking_pids(pid))",
                "SELECT pg_terminate_backend(%d)");
    }
}
