package dev.ferry.connector.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.Violation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputFilesTest {

    @TempDir
    Path dir;

    private Path touch(String name) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "x\n");
        return file;
    }

    private List<Path> resolve(String... entries) {
        return InputFiles.resolve(List.of(entries), dir, "source.path").files();
    }

    @Test
    void takesAFileAsIs() throws IOException {
        Path file = touch("a.csv");
        assertEquals(List.of(file), resolve("a.csv"));
        assertEquals(List.of(file), resolve(file.toString()));
    }

    @Test
    void takesTheVisibleRegularFilesOfADirectorySorted() throws IOException {
        Path b = touch("in/b.csv");
        Path a = touch("in/a.csv");
        touch("in/.hidden.csv");
        touch("in/sub/c.csv");
        assertEquals(List.of(a, b), resolve("in"));
        assertEquals(List.of(a, b), resolve("in/"));
    }

    @Test
    void matchesGlobs() throws IOException {
        Path a = touch("data/a.csv");
        Path b = touch("data/b.csv");
        touch("data/c.txt");
        touch("data/.tmp.csv");
        Path deep = touch("data/2024/d.csv");
        assertEquals(List.of(a, b), resolve("data/*.csv"));
        assertEquals(List.of(deep), resolve("data/*/*.csv"));
        assertEquals(List.of(deep, a, b), resolve("data/**.csv"));
        assertEquals(List.of(a, b), resolve(dir + "/data/?.csv"));
        assertEquals(List.of(a), resolve("data/{a,x}.csv"));
        assertEquals(List.of(deep), resolve("dat?/2024/*.csv"));
    }

    @Test
    void keepsEntryOrderAndListsAFileOnce() throws IOException {
        Path a = touch("a.csv");
        Path b = touch("b.csv");
        assertEquals(List.of(b, a), resolve("b.csv", "*.csv"));
    }

    @Test
    void reportsEveryEntryThatMatchedNothing() throws IOException {
        touch("a.csv");
        Files.createDirectories(dir.resolve("empty"));
        ConfigException e = assertThrows(ConfigException.class,
                () -> resolve("x/*.csv", "a.csv", "missing.csv", "empty"));
        assertEquals(List.of(
                new Violation("source.path", "matched no file", "'x/*.csv'"),
                new Violation("source.path", "matched no file", "'missing.csv'"),
                new Violation("source.path", "matched no file", "'empty'")), e.violations());
        ConfigException one = assertThrows(ConfigException.class, () -> resolve("x/*.csv"));
        assertEquals("invalid job: source.path matched no file, got 'x/*.csv'", one.getMessage());
    }

    @Test
    void makesOneSplitPerFileWithReadableUniqueIds() throws IOException {
        Path a = touch("one/a.csv");
        Path a2 = touch("two/a.csv");
        Path b = touch("two/b.csv");
        List<FileSplit> splits = InputFiles.resolve(List.of("one", "two"), dir, "source.path").splits();
        assertEquals(List.of(new FileSplit("a.csv#0", a.toString()), new FileSplit("a.csv#1", a2.toString()),
                new FileSplit("b.csv", b.toString())), splits);
    }

    @Test
    void splitRecordValidates() {
        assertEquals("split id must not be empty",
                assertThrows(IllegalArgumentException.class, () -> new FileSplit("", "/x")).getMessage());
        assertEquals("path of split 'a' must not be empty",
                assertThrows(IllegalArgumentException.class, () -> new FileSplit("a", "")).getMessage());
    }
}
