package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the Flink runners' classes come from when sync.jar runs without them. */
class FlinkClassesTest {

    @TempDir
    Path dir;

    private Path file(String relative) throws Exception {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, "not really a jar");
    }

    private String refusal(String flinkHome, String runner) {
        return assertThrows(FlinkClasses.MissingFlink.class, () -> FlinkClasses.flinkJars(flinkHome, runner))
                .getMessage();
    }

    @Test
    void everyJarOfFlinkHomeLibIsAddedInNameOrder() throws Exception {
        Path log4j = file("flink/lib/log4j-core-2.24.3.jar");
        Path dist = file("flink/lib/flink-dist-2.3.0.jar");
        Path table = file("flink/lib/flink-table-runtime-2.3.0.jar");
        file("flink/lib/README.txt");
        file("flink/opt/flink-python-2.3.0.jar");
        assertEquals(List.of(dist, table, log4j), FlinkClasses.flinkJars(dir.resolve("flink").toString(), "--runner flink"));
    }

    @Test
    void withoutFlinkHomeTheMessageSaysWhatIsNeededAndHow() {
        String expected = "--runner flink-local needs Apache Flink 2.x's jars, which sync.jar leaves out (a Flink "
                + "cluster brings its own): set FLINK_HOME to a Flink 2.x distribution (the jars of its lib/ are then "
                + "added), or put them on the class path: java -cp \"sync.jar" + File.pathSeparator
                + "/path/to/flink/lib/*\" dev.ferry.cli.Main run ...";
        assertEquals(expected, refusal(null, "--runner flink-local"));
        assertEquals(expected, refusal(" ", "--runner flink-local"));
    }

    @Test
    void aFlinkHomeThatIsNotAFlink2DistributionIsRefusedNamingIt() throws Exception {
        String rule = "FLINK_HOME must name a Flink 2.x distribution (a directory whose lib/ holds flink-dist-2.*.jar) "
                + "for --runner flink, got '";
        file("flink-1.20/lib/flink-dist-1.20.1.jar");
        Path old = dir.resolve("flink-1.20");
        assertEquals(rule + old + "': its lib/ holds [flink-dist-1.20.1.jar]", refusal(old.toString(), "--runner flink"));
        file("flink-1.14/lib/flink-dist_2.12-1.14.6.jar");
        Path scala = dir.resolve("flink-1.14");
        assertEquals(rule + scala + "': its lib/ holds [flink-dist_2.12-1.14.6.jar]", refusal(scala.toString(), "--runner flink"));
        file("other/lib/something.jar");
        Path other = dir.resolve("other");
        assertEquals(rule + other + "': its lib/ holds no flink-dist jar", refusal(other.toString(), "--runner flink"));
        Path absent = dir.resolve("absent");
        String message = refusal(absent.toString(), "--runner flink");
        assertTrue(message.startsWith(rule + absent + "': " + absent.resolve("lib") + " cannot be listed ("), message);
    }

    @Test
    void flinkIsFoundOnlyWhereItsClassesAre() throws Exception {
        assertTrue(FlinkClasses.onClassPath(FlinkClassesTest.class.getClassLoader()), "the tests have Flink");
        try (URLClassLoader platformOnly = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
            assertFalse(FlinkClasses.onClassPath(platformOnly));
        }
        assertDoesNotThrow(() -> FlinkClasses.require("--runner flink"), "Flink on the class path needs nothing more");
    }
}
