package dev.ferry.connector.postgresql;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.Source;
import dev.ferry.api.error.SyncException;
import dev.ferry.connector.jdbc.testing.MapConfig;
import dev.ferry.engine.testing.RecordingContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A server that accepts connections and never answers: the timeouts turn the hang into a clear
 * error instead of a job that waits forever.
 */
class StuckServerTest {

    @Test
    void aServerThatNeverAnswersFailsPrepareWithinTheTimeouts() throws Exception {
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        accepted.add(server.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            PostgresConnector connector = new PostgresConnector();
            Map<String, Object> options = Map.of("url", "jdbc:postgresql://127.0.0.1:" + server.getLocalPort() + "/db",
                    "username", "u", "password", "never-printed", "table", "t", "connectTimeoutSeconds", 2,
                    "socketTimeoutSeconds", 2);
            long started = System.nanoTime();
            try (Source source = connector.createSource(MapConfig.source(connector, options))) {
                SyncException error = assertThrows(SyncException.class, () -> source.prepare(new RecordingContext("stuck", 1)));
                long seconds = (System.nanoTime() - started) / 1_000_000_000L;
                assertTrue(seconds < 20, "gave up after " + seconds + " s");
                assertTrue(error.getMessage().startsWith("cannot connect to jdbc:postgresql://127.0.0.1:"), error.getMessage());
                assertTrue(!error.getMessage().contains("never-printed"), error.getMessage());
            }
        } finally {
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }
}
