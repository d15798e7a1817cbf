package dev.ferry.connector.jdbc.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Records what is printed on {@code System.out} and {@code System.err} while it is open, still
 * passing it on. The tests' SLF4J simple logger prints to one of them, looking the stream up at
 * every line, so a test can check for a warning the engine or a connector logged. Use from one
 * test at a time: it replaces the JVM-wide streams.
 */
public final class LogTap implements AutoCloseable {

    private final PrintStream out;
    private final PrintStream err;
    private final ByteArrayOutputStream recorded = new ByteArrayOutputStream();

    public LogTap() {
        out = System.out;
        err = System.err;
        System.setOut(tee(out));
        System.setErr(tee(err));
    }

    private PrintStream tee(PrintStream original) {
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (recorded) {
                    recorded.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (recorded) {
                    recorded.write(b, off, len);
                }
                original.write(b, off, len);
            }

            @Override
            public void flush() {
                original.flush();
            }
        };
        return new PrintStream(tee, true, StandardCharsets.UTF_8);
    }

    /** Everything printed so far. */
    public String text() {
        synchronized (recorded) {
            return recorded.toString(StandardCharsets.UTF_8);
        }
    }

    /** The lines printed so far that contain {@code part}. */
    public List<String> lines(String part) {
        return text().lines().filter(line -> line.contains(part)).toList();
    }

    @Override
    public void close() {
        System.setOut(out);
        System.setErr(err);
    }
}
