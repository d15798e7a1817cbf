package dev.ferry.connector.jdbc;

import dev.ferry.api.config.Secret;
import java.util.Objects;

/**
 * Where and how to connect: one database endpoint of a job.
 *
 * @param url                   the JDBC URL as configured (may carry driver parameters)
 * @param username              the user, or null to leave it to the URL or driver
 * @param password              the password; never printed (see {@link #toString()})
 * @param connectTimeoutSeconds how long opening a connection may take, >= 1
 * @param socketTimeoutSeconds  how long one network read may block before the driver gives up
 *                              with an error, >= 0 (0 = forever; not recommended)
 * @param driverClassName       a driver class to load explicitly, or null to let
 *                              {@link java.sql.DriverManager} find it
 */
public record JdbcEndpoint(String url, String username, Secret password, int connectTimeoutSeconds,
                           int socketTimeoutSeconds, String driverClassName) {

    public JdbcEndpoint {
        Objects.requireNonNull(url, "url");
        password = password == null ? new Secret("") : password;
        if (connectTimeoutSeconds < 1) {
            throw new IllegalArgumentException("connectTimeoutSeconds must be >= 1, got " + connectTimeoutSeconds);
        }
        if (socketTimeoutSeconds < 0) {
            throw new IllegalArgumentException("socketTimeoutSeconds must be >= 0, got " + socketTimeoutSeconds);
        }
    }

    /** An endpoint with the default timeouts. */
    public static JdbcEndpoint of(String url, String username, String password) {
        return new JdbcEndpoint(url, username, new Secret(password), JdbcKeys.DEFAULT_CONNECT_TIMEOUT_SECONDS,
                JdbcKeys.DEFAULT_SOCKET_TIMEOUT_SECONDS, null);
    }

    /** This endpoint with another URL (dialects use it to add parameters a driver needs). */
    public JdbcEndpoint withUrl(String newUrl) {
        return new JdbcEndpoint(newUrl, username, password, connectTimeoutSeconds, socketTimeoutSeconds, driverClassName);
    }

    /** Removes every secret of this endpoint from {@code text}. */
    public Redactor redactor() {
        return Redactor.of(password);
    }

    /** The URL with any password in it masked, for messages. */
    public String maskedUrl() {
        return redactor().mask(url);
    }

    @Override
    public String toString() {
        return "JdbcEndpoint[url=" + maskedUrl() + ", username=" + username + ", password=" + Secret.MASK + "]";
    }
}
