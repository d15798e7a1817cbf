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
import java.util.Arrays;
import java.util.List;

/**
 * Where {@code run} runs a job, from {@code --runner} and {@code --flink-master}: in this process
 * ({@code local}, the default), on a running Apache Flink cluster ({@code flink}, whose JobManager's
 * REST endpoint {@code --flink-master HOST:PORT} names), or on a Flink MiniCluster started in this
 * process ({@code flink-local}). The rules are {@link Runner}'s; the messages name the flags.
 *
 * @param runner the runner asked for
 */
record RunnerOption(Runner runner) {

    private static final List<String> NAMES = Arrays.stream(Runner.Kind.values()).map(Runner.Kind::key).toList();

    /**
     * The runner the command line asks for.
     *
     * @param runner      the value of {@code --runner}, null when absent
     * @param flinkMaster the value of {@code --flink-master}, null when absent
     * @throws UsageException when the runner is unknown, {@code flink} lacks its master, the master
     *                        is not HOST:PORT, or a master is given to another runner
     */
    static RunnerOption of(String runner, String flinkMaster) {
        String name = runner == null ? Runner.Kind.LOCAL.key() : runner;
        if (!NAMES.contains(name)) {
            throw new UsageException("--runner must be one of " + String.join(", ", NAMES) + ", got '" + name + "'");
        }
        Runner.Kind kind = Runner.Kind.values()[NAMES.indexOf(name)];
        if (kind != Runner.Kind.FLINK) {
            if (flinkMaster != null) {
                throw new UsageException("--flink-master names the cluster of --runner flink only, got '"
                        + flinkMaster + "' with --runner " + name + (runner == null ? " (the default)" : ""));
            }
            return new RunnerOption(new Runner(kind, null));
        }
        if (flinkMaster == null) {
            throw new UsageException("--runner flink needs --flink-master HOST:PORT, the REST endpoint of the "
                    + "cluster's JobManager (its rest.address and rest.port, e.g. jobmanager:8081)");
        }
        String rule = Runner.masterRule(flinkMaster);
        if (rule != null) {
            throw new UsageException("--flink-master " + rule + ", got '" + flinkMaster + "'");
        }
        return new RunnerOption(new Runner(kind, flinkMaster));
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

    /** The runner's name as the flag takes it. */
    String name() {
        return runner.kind().key();
    }

    /** Whether Flink runs the job (and Flink's classes are needed). */
    boolean onFlink() {
        return runner.isFlink();
    }

    /** Where the job runs, for the lines the command prints. */
    String where() {
        return switch (runner.kind()) {
            case FLINK -> "the Flink cluster at " + runner.master();
            case FLINK_LOCAL -> "a Flink MiniCluster in this process";
            case LOCAL -> "this process";
        };
    }
}
