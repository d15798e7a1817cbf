package dev.ferry.api.job;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a job's copies run ({@code settings.runner}, {@code settings.flinkMaster}): in the process
 * that runs the job (the default), on an Apache Flink cluster reached through its REST endpoint, or
 * in a Flink MiniCluster started in the process.
 *
 * @param kind   where
 * @param master the Flink REST endpoint as {@code HOST:PORT}; set for {@link Kind#FLINK} only
 */
public record Runner(Kind kind, String master) implements Serializable {

    /** Copies run in the job's own process. */
    public static final Runner LOCAL = new Runner(Kind.LOCAL, null);

    /** Where copies run. */
    public enum Kind {
        /** In the job's own process. */
        LOCAL,
        /** On a running Flink cluster, submitted through its REST endpoint. */
        FLINK,
        /** In a Flink MiniCluster started in the job's process. */
        FLINK_LOCAL;

        /** The key's value in a file: {@code local}, {@code flink}, {@code flink-local}. */
        public String key() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public Runner {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.FLINK) != (master != null)) {
            throw new IllegalArgumentException("settings.flinkMaster must be given with settings.runner 'flink' and "
                    + "only then, got runner '" + kind.key() + "' and flinkMaster " + master);
        }
        String rule = master == null ? null : masterRule(master);
        if (rule != null) {
            throw new IllegalArgumentException("settings.flinkMaster " + rule + ", got '" + master + "'");
        }
    }

    /**
     * The rule {@code master} breaks as a Flink REST endpoint, for a message that names the key it
     * came from; null when it is {@code HOST:PORT} with a port from 1 to 65535 (an IPv6 host in
     * brackets).
     */
    public static String masterRule(String master) {
        int colon = master.lastIndexOf(':');
        String host = colon < 0 ? "" : bare(master.substring(0, colon));
        if (host.isBlank() || host.contains("/") || colon == master.length() - 1) {
            return "must be HOST:PORT, the REST endpoint of the cluster's JobManager (e.g. jobmanager:8081)";
        }
        int port;
        try {
            port = Integer.parseInt(master.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        return port < 1 || port > 65535 ? "must end in a port from 1 to 65535 (HOST:PORT)" : null;
    }

    /** The REST endpoint's host, for {@link Kind#FLINK}. */
    public String host() {
        return bare(master.substring(0, master.lastIndexOf(':')));
    }

    /** The REST endpoint's port, for {@link Kind#FLINK}. */
    public int port() {
        return Integer.parseInt(master.substring(master.lastIndexOf(':') + 1));
    }

    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** Whether copies run on Flink (a cluster or a MiniCluster). */
    public boolean isFlink() {
        return kind != Kind.LOCAL;
    }
}
