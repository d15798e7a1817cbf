package dev.ferry.connector.jdbc.capture;

import dev.ferry.connector.jdbc.ErrorTranslator;
import dev.ferry.connector.jdbc.H2Dialect;
import dev.ferry.connector.jdbc.JdbcEndpoint;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;

/**
 * Opens the unpooled sessions a change stream holds for a long time: planning, a snapshot's
 * transaction, the reader's polling. Each is a session of its own (in READ COMMITTED, H2's
 * default), closed by whoever opened it.
 *
 * @param dialect  the H2 dialect, for URLs and errors
 * @param endpoint where to connect
 */
record H2Connections(H2Dialect dialect, JdbcEndpoint endpoint) {

    H2Connections {
        Objects.requireNonNull(dialect, "dialect");
        Objects.requireNonNull(endpoint, "endpoint");
    }

    Connection open() throws SQLException {
        String url = dialect.driverUrl(endpoint.url());
        return endpoint.username() == null ? DriverManager.getConnection(url)
                : DriverManager.getConnection(url, endpoint.username(), endpoint.password().value());
    }

    ErrorTranslator errors() {
        return new ErrorTranslator(dialect.errors(), endpoint.redactor());
    }
}
