package dev.ferry.connector.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.ferry.api.Split;
import java.net.URL;
import java.net.URLClassLoader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A pool opened by a second copy of the connector and its driver, in a class loader of its own, as
 * in each Flink job's user-code class loader when the job's jar holds the connectors. Regression:
 * DriverManager had registered only the first copy of the driver, which it does not give to the
 * second, so the first pool opened there failed with "No suitable driver".
 */
class ConnectionPoolClassLoaderTest {

    private static final String URL = "jdbc:h2:mem:pool_class_loader_test";

    @Test
    void aPoolInAClassLoaderOfItsOwnConnectsThroughThatLoadersDriver() throws Exception {
        try (Connection registersTheFirstCopy = DriverManager.getConnection(URL, "sa", "")) {
            URL[] classPath = Stream.of(ConnectionPool.class, Split.class, HikariDataSource.class, org.h2.Driver.class,
                            org.slf4j.Logger.class, org.slf4j.simple.SimpleLogger.class)
                    .map(c -> c.getProtectionDomain().getCodeSource().getLocation()).distinct().toArray(URL[]::new);
            try (URLClassLoader secondCopy = new URLClassLoader(classPath, ClassLoader.getPlatformClassLoader())) {
                Class<?> dialect = Class.forName(Dialect.class.getName(), false, secondCopy);
                Class<?> endpoint = Class.forName(JdbcEndpoint.class.getName(), false, secondCopy);
                Object h2 = Class.forName(H2Dialect.class.getName(), true, secondCopy).getConstructor().newInstance();
                Object at = endpoint.getMethod("of", String.class, String.class, String.class).invoke(null, URL, "sa", "");
                Object pool = Class.forName(ConnectionPool.class.getName(), true, secondCopy)
                        .getMethod("open", dialect, endpoint, String.class, int.class)
                        .invoke(null, h2, at, "second-copy", 1);
                ((AutoCloseable) pool).close();
            }
        }
    }
}
