package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.api.error.Violation;
import dev.ferry.api.job.Runner;
import dev.ferry.cli.Main.UsageException;
import dev.ferry.engine.config.JobFileParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where {@code run} runs a job, from {@code --runner} and {@code --flink-master}: in this process
 * ({@code local}, the default), on a running Apache Flink cluster ({@code flink}, whose JobManager's
 * REST endpoint {@code --flink-master HOST:PORT} names), or on a Flink MiniCluster started in this
 * process ({@code flink-local}).
 *
 * @param name      {@link #LOCAL}, {@link #FLINK} or {@link #FLINK_LOCAL}
 * @param flinkHost the JobManager's REST host with {@link #FLINK}, otherwise null
 * @param flinkPort the JobManager's REST port with {@link #FLINK}, otherwise 0
 */
record RunnerOption(String name, String flinkHost, int flinkPort) {

    static final String LOCAL = "local";
    static final String FLINK = "flink";
    static final String FLINK_LOCAL = "flink-local";
    private static final List<String> NAMES = List.of(LOCAL, FLINK, FLINK_LOCAL);

    RunnerOption {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("runner must be one of " + NAMES + ", got '" + name + "'");
        }
        if (name.equals(FLINK) != (flinkHost != null) || (flinkHost != null && (flinkPort < 1 || flinkPort > 65535))) {
            throw new IllegalArgumentException("a Flink master (host and port 1..65535) goes with the runner "
                    + FLINK + " only, got " + name + " with " + flinkHost + ":" + flinkPort);
        }
    }

    /**
     * The runner the command line asks for.
     *
     * @param runner      the value of {@code --runner}, null when absent
     * @param flinkMaster the value of {@code --flink-master}, null when absent
     * @throws UsageException when the runner is unknown, {@code flink} lacks its master, the master
     *                        is not HOST:PORT, or a master is given to another runner
     */
    static RunnerOption of(String runner, String flinkMaster) {
        String name = runner == null ? LOCAL : runner;
        if (!NAMES.contains(name)) {
            throw new UsageException("--runner must be one of " + String.join(", ", NAMES) + ", got '" + name + "'");
        }
        if (!name.equals(FLINK)) {
            if (flinkMaster != null) {
                throw new UsageException("--flink-master names the cluster of --runner " + FLINK + " only, got '"
                        + flinkMaster + "' with --runner " + name + (runner == null ? " (the default)" : ""));
            }
            return new RunnerOption(name, null, 0);
        }
        if (flinkMaster == null) {
            throw new UsageException("--runner " + FLINK + " needs --flink-master HOST:PORT, the REST endpoint of the "
                    + "cluster's JobManager (its rest.address and rest.port, e.g. jobmanager:8081)");
        }
        int colon = flinkMaster.lastIndexOf(':');
        String host = colon < 0 ? "" : flinkMaster.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isBlank() || host.contains("/") || colon == flinkMaster.length() - 1) {
            throw new UsageException("--flink-master must be HOST:PORT, the REST endpoint of the cluster's JobManager "
                    + "(e.g. jobmanager:8081), got '" + flinkMaster + "'");
        }
        int port;
        try {
            port = Integer.parseInt(flinkMaster.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new UsageException("--flink-master must end in a port from 1 to 65535 (HOST:PORT), got '"
                    + flinkMaster + "'");
        }
        return new RunnerOption(FLINK, host, port);
    }

    /**
     * What a job or task file's {@code settings.runner} says; local when the file cannot be read (the
     * command then reports what is wrong with it as for any run).
     */
    static Runner ofFile(Path file) {
        try {
            JsonNode settings = new ObjectMapper().readTree(file.toFile()).path("settings");
            List<Violation> violations = new ArrayList<>();
            Runner runner = JobFileParser.runner(settings.path("runner").asText(Runner.Kind.LOCAL.key()),
                    settings.path("flinkMaster").isTextual() ? settings.path("flinkMaster").asText() : null, violations);
            return violations.isEmpty() ? runner : Runner.LOCAL;
        } catch (IOException | RuntimeException e) {
            return Runner.LOCAL;
        }
    }

    /** Whether Flink runs the job (and Flink's classes are needed). */
    boolean onFlink() {
        return !name.equals(LOCAL);
    }

    /** Where the job runs, for the lines the command prints. */
    String where() {
        return switch (name) {
            case FLINK -> "the Flink cluster at " + flinkHost + ":" + flinkPort;
            case FLINK_LOCAL -> "a Flink MiniCluster in this process";
            default -> "this process";
        };
    }
}
