package dev.ferry.cli;

import java.io.File;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds Apache Flink's classes for the Flink runners. {@code sync.jar} holds the runner but not
 * Flink (about 80 MB, and a cluster brings its own), so {@code run --runner flink|flink-local}
 * needs Flink 2.x's jars from elsewhere: from the class path
 * ({@code java -cp "sync.jar:/path/to/flink/lib/*" dev.ferry.cli.Main ...}), or, when sync.jar
 * runs with {@code java -jar}, from the Flink distribution that {@code FLINK_HOME} names: every jar
 * of {@code $FLINK_HOME/lib} is then added to the class path of this JVM, as if given with
 * {@code -cp}.
 *
 * <p>Why the class path itself, not a class loader of their own over sync.jar and Flink's jars:
 * Flink reads some objects with the system class loader whatever loaded it (a failed job's error in
 * its REST client, a MiniCluster's job that names no jars), and those must find Flink and Ferry
 * there. The JVM lets an executable jar add to its class path through the agent its manifest names
 * ({@code Launcher-Agent-Class}), started before {@code main}: this class.
 */
final class FlinkClasses {

    static final String FLINK_HOME = "FLINK_HOME";

    /** A class of Flink's DataStream API and one of its clients; the runners need both. */
    private static final List<String> PROBES = List.of(
            "org.apache.flink.streaming.api.environment.StreamExecutionEnvironment",
            "org.apache.flink.client.deployment.executors.RemoteExecutorFactory");

    /** The jar every Flink distribution's lib/ holds: {@code flink-dist-2.3.0.jar} for Flink 2.3.0. */
    private static final Pattern FLINK_DIST = Pattern.compile("flink-dist[-_].*\\.jar");
    private static final Pattern FLINK_DIST_2 = Pattern.compile("flink-dist-2\\.\\d+.*\\.jar");

    /** Set before {@code main} when sync.jar runs with {@code java -jar}; null otherwise. */
    private static volatile Instrumentation instrumentation;

    private FlinkClasses() {
    }

    /**
     * Called by the JVM before {@code main} when sync.jar runs with {@code java -jar} (the
     * manifest's {@code Launcher-Agent-Class}); keeps the means to add to the class path.
     */
    public static void agentmain(String args, Instrumentation inst) {
        instrumentation = inst;
    }

    /** Whether Flink's classes can be loaded through {@code loader}. */
    static boolean onClassPath(ClassLoader loader) {
        for (String probe : PROBES) {
            try {
                Class.forName(probe, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }
        return true;
    }

    /**
     * Makes Flink's classes loadable by the class loader of the command line, adding the jars of
     * {@code $FLINK_HOME/lib} to the class path when they are not there yet.
     *
     * @param runner what asks for Flink, as the user wrote it: {@code --runner flink} or
     *               {@code settings.runner 'flink'}
     * @throws MissingFlink saying what is needed and how, when Flink cannot be found that way
     */
    static void require(String runner) {
        ClassLoader loader = FlinkClasses.class.getClassLoader();
        if (onClassPath(loader)) {
            return;
        }
        String flinkHome = System.getenv(FLINK_HOME);
        List<Path> jars = flinkJars(flinkHome, runner);
        Instrumentation inst = instrumentation;
        if (inst == null) {
            throw new MissingFlink(runner + " can add " + FLINK_HOME + "'s jars to the class path only "
                    + "when sync.jar runs with java -jar; " + howToAddThem());
        }
        for (Path jar : jars) {
            try {
                inst.appendToSystemClassLoaderSearch(new JarFile(jar.toFile()));
            } catch (IOException e) {
                throw new MissingFlink(rule(flinkHome, runner) + ": " + jar + " cannot be read as a jar (" + e + ")");
            }
        }
        if (!onClassPath(loader)) {
            throw new MissingFlink(rule(flinkHome, runner) + ": Flink's classes (" + PROBES + ") are not in the jars "
                    + "of its lib/");
        }
    }

    /**
     * The jars of {@code $FLINK_HOME/lib} in name order.
     *
     * @param flinkHome the value of {@code FLINK_HOME}, null when unset
     * @param runner    what asks for Flink, as the user wrote it, for the messages
     * @throws MissingFlink naming what is needed when {@code flinkHome} is unset or not a Flink 2.x
     *                      distribution
     */
    static List<Path> flinkJars(String flinkHome, String runner) {
        if (flinkHome == null || flinkHome.isBlank()) {
            throw new MissingFlink(runner + " needs Apache Flink 2.x's jars, which sync.jar leaves out "
                    + "(a Flink cluster brings its own): set " + FLINK_HOME + " to a Flink 2.x distribution (the jars "
                    + "of its lib/ are then added), or " + howToAddThem());
        }
        Path lib = Path.of(flinkHome).resolve("lib");
        List<Path> jars;
        try (Stream<Path> files = Files.list(lib)) {
            jars = files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new MissingFlink(rule(flinkHome, runner) + ": " + lib + " cannot be listed (" + e + ")");
        }
        List<String> dists = jars.stream().map(j -> j.getFileName().toString())
                .filter(n -> FLINK_DIST.matcher(n).matches()).toList();
        if (dists.stream().noneMatch(n -> FLINK_DIST_2.matcher(n).matches())) {
            throw new MissingFlink(rule(flinkHome, runner) + ": its lib/ holds "
                    + (dists.isEmpty() ? "no flink-dist jar" : dists));
        }
        return jars;
    }

    private static String rule(String flinkHome, String runner) {
        return FLINK_HOME + " must name a Flink 2.x distribution (a directory whose lib/ holds flink-dist-2.*.jar) "
                + "for " + runner + ", got '" + flinkHome + "'";
    }

    private static String howToAddThem() {
        return "put them on the class path: java -cp \"sync.jar" + File.pathSeparator + "/path/to/flink/lib/*\" "
                + Main.class.getName() + " run ...";
    }

    /** Flink's classes cannot be found; the message says what to do. */
    static final class MissingFlink extends RuntimeException {
        MissingFlink(String message) {
            super(message);
        }
    }
}
