package dev.ferry.benchmarks.cdc;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The change-capture baseline of {@code run-cdc.sh}: Debezium's embedded engine with its PostgreSQL
 * connector (pgoutput) into a consumer that does nothing but count, on a replication slot and a
 * publication of its own that the script created. Not part of any Ferry module; nothing here runs
 * as a test.
 *
 * <pre>
 * java -Xmx256m -cp sync-benchmarks/target/classes:sync-benchmarks/target/cdc-lib/* \
 *      dev.ferry.benchmarks.cdc.DebeziumBench drain|lag key=value...
 * </pre>
 *
 * <p>{@code drain expect=N}: from a cold start (the JVM's start time), how long until the consumer
 * has seen N row changes (inserts, updates, deletes); prints one {@code RESULT} line and exits.
 *
 * <p>{@code lag out=FILE probe=TABLE}: runs until {@code stopFile} appears (or SIGTERM) and writes,
 * for every change of the probe table, {@code id,src_us,commit_us,seen_us}: the probe row's
 * {@code src_ts} column (the source transaction's {@code clock_timestamp()} just before its
 * commit), Debezium's commit timestamp of the transaction ({@code source.ts_us}) and the wall-clock
 * time the consumer received it, all in epoch microseconds (the database and this JVM share one
 * clock). The file is flushed at least every 100 ms so the script can wait for a marker row.
 *
 * <p>Keys (defaults): {@code host} (127.0.0.1), {@code port} (5432), {@code user} (root),
 * {@code password} (empty), {@code db} (test), {@code slot}, {@code publication}, {@code tables}
 * (comma-separated, schema-qualified), and any Debezium property as {@code dbz.NAME=VALUE} (e.g.
 * {@code dbz.poll.interval.ms=10}). Everything else is Debezium's default; offsets are kept in
 * memory and the stream starts at the slot's confirmed position ({@code snapshot.mode=no_data}).
 */
public final class DebeziumBench {

    private DebeziumBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || !(args[0].equals("drain") || args[0].equals("lag"))) {
            System.err.println("usage: DebeziumBench drain|lag key=value...");
            System.exit(2);
        }
        String mode = args[0];
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq < 0) {
                System.err.println("not key=value: " + args[i]);
                System.exit(2);
            }
            options.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Properties props = properties(options);
        long jvmStartMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
        if (mode.equals("drain")) {
            drain(props, Long.parseLong(require(options, "expect")), jvmStartMillis);
        } else {
            lag(props, Path.of(require(options, "out")), require(options, "probe"),
                    Path.of(options.getOrDefault("stopFile", require(options, "out") + ".stop")));
        }
    }

    private static String require(Map<String, String> options, String key) {
        String value = options.get(key);
        if (value == null) {
            System.err.println("missing " + key + "=...");
            System.exit(2);
        }
        return value;
    }

    private static Properties properties(Map<String, String> o) {
        Properties p = new Properties();
        p.setProperty("name", "ferry-cdc-bench");
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
        p.setProperty("database.hostname", o.getOrDefault("host", "127.0.0.1"));
        p.setProperty("database.port", o.getOrDefault("port", "5432"));
        p.setProperty("database.user", o.getOrDefault("user", "root"));
        p.setProperty("database.password", o.getOrDefault("password", ""));
        p.setProperty("database.dbname", o.getOrDefault("db", "test"));
        p.setProperty("topic.prefix", "ferrybench");
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", require(o, "slot"));
        p.setProperty("publication.name", require(o, "publication"));
        p.setProperty("publication.autocreate.mode", "disabled");
        p.setProperty("table.include.list", require(o, "tables"));
        p.setProperty("snapshot.mode", "no_data");
        for (Map.Entry<String, String> e : o.entrySet()) {
            if (e.getKey().startsWith("dbz.")) {
                p.setProperty(e.getKey().substring(4), e.getValue());
            }
        }
        return p;
    }

    /** Whether a record is a row change (c, u, d), not a heartbeat, tombstone or read. */
    private static boolean isChange(SourceRecord record) {
        if (!(record.value() instanceof Struct value) || value.schema().field("op") == null) {
            return false;
        }
        String op = value.getString("op");
        return "c".equals(op) || "u".equals(op) || "d".equals(op);
    }

    private static void drain(Properties props, long expect, long jvmStartMillis) throws Exception {
        AtomicLong seen = new AtomicLong();
        AtomicLong firstNanos = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        long engineStartNanos = System.nanoTime();
        long engineStartMillis = System.currentTimeMillis();
        DebeziumEngine<RecordChangeEvent<SourceRecord>> engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(props)
                .notifying(event -> {
                    if (isChange(event.record())) {
                        long n = seen.incrementAndGet();
                        if (n == 1) {
                            firstNanos.set(System.nanoTime());
                        }
                        if (n == expect) {
                            done.countDown();
                        }
                    }
                })
                .using((success, message, error) -> {
                    if (!success) {
                        System.err.println("debezium engine stopped: " + message);
                        if (error != null) {
                            error.printStackTrace();
                        }
                    }
                    done.countDown();
                })
                .build();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        executor.execute(engine);
        done.await();
        long endNanos = System.nanoTime();
        long endMillis = System.currentTimeMillis();
        long n = seen.get();
        double cold = (endMillis - jvmStartMillis) / 1000.0;
        double fromEngine = (endNanos - engineStartNanos) / 1e9;
        double fromFirst = firstNanos.get() == 0 ? 0 : (endNanos - firstNanos.get()) / 1e9;
        System.out.printf(Locale.ROOT, "RESULT changes=%d expected=%d cold_s=%.3f cold_rate=%.0f engine_s=%.3f "
                        + "engine_rate=%.0f first_to_last_s=%.3f first_to_last_rate=%.0f jvm_to_engine_s=%.3f%n",
                n, expect, cold, n / cold, fromEngine, n / fromEngine, fromFirst, fromFirst > 0 ? n / fromFirst : 0,
                (engineStartMillis - jvmStartMillis) / 1000.0);
        System.out.flush();
        engine.close();
        executor.shutdown();
        executor.awaitTermination(30, TimeUnit.SECONDS);
        System.exit(n >= expect ? 0 : 1);
    }

    private static void lag(Properties props, Path out, String probe, Path stopFile) throws Exception {
        String probeTopicSuffix = "." + probe;
        Files.deleteIfExists(stopFile);
        BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
        Object lock = new Object();
        AtomicLong lastFlushNanos = new AtomicLong(System.nanoTime());
        AtomicLong probes = new AtomicLong();
        AtomicLong changes = new AtomicLong();
        CountDownLatch ended = new CountDownLatch(1);
        DebeziumEngine<RecordChangeEvent<SourceRecord>> engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(props)
                .notifying(event -> {
                    SourceRecord record = event.record();
                    if (!isChange(record)) {
                        return;
                    }
                    long seenMicros = nowMicros();
                    changes.incrementAndGet();
                    if (!record.topic().endsWith(probeTopicSuffix)) {
                        return;
                    }
                    Struct value = (Struct) record.value();
                    Struct after = value.getStruct("after");
                    Struct source = value.getStruct("source");
                    if (after == null) {
                        return;
                    }
                    long id = ((Number) after.get("id")).longValue();
                    Object src = after.get("src_ts");
                    long srcMicros = src == null ? 0 : micros(Instant.parse(src.toString()));
                    Object commit = source.schema().field("ts_us") != null ? source.get("ts_us") : null;
                    long commitMicros = commit == null ? source.getInt64("ts_ms") * 1000 : ((Number) commit).longValue();
                    probes.incrementAndGet();
                    synchronized (lock) {
                        try {
                            writer.write(id + "," + srcMicros + "," + commitMicros + "," + seenMicros + "\n");
                            long now = System.nanoTime();
                            if (now - lastFlushNanos.get() > 100_000_000L) {
                                writer.flush();
                                lastFlushNanos.set(now);
                            }
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                })
                .using((success, message, error) -> {
                    if (!success) {
                        System.err.println("debezium engine stopped: " + message);
                        if (error != null) {
                            error.printStackTrace();
                        }
                    }
                    ended.countDown();
                })
                .build();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        executor.execute(engine);
        Thread flusher = new Thread(() -> {
            while (ended.getCount() > 0 && !Files.exists(stopFile)) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
                synchronized (lock) {
                    try {
                        writer.flush();
                    } catch (IOException ignored) {
                        // reported at the end
                    }
                }
            }
            ended.countDown();
        }, "flusher");
        flusher.setDaemon(true);
        flusher.start();
        Runtime.getRuntime().addShutdownHook(new Thread(ended::countDown));
        ended.await();
        engine.close();
        executor.shutdown();
        executor.awaitTermination(30, TimeUnit.SECONDS);
        synchronized (lock) {
            writer.close();
        }
        System.out.printf(Locale.ROOT, "RESULT changes=%d probes=%d%n", changes.get(), probes.get());
        System.out.flush();
    }

    private static long nowMicros() {
        return micros(Instant.now());
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }
}
