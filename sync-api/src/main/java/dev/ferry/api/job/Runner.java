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
    }

    /** Whether copies run on Flink (a cluster or a MiniCluster). */
    public boolean isFlink() {
        return kind != Kind.LOCAL;
    }
}
