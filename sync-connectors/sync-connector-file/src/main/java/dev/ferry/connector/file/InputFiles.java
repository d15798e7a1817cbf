package dev.ferry.connector.file;

import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.error.Violation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The files a source's {@code path} entries name.
 *
 * <p>An entry is a glob when it holds one of the characters {@code *}, {@code ?}, {@code [} or
 * <code>&#123;</code> (syntax of {@link java.nio.file.FileSystem#getPathMatcher} with
 * {@code glob:}; {@code **} crosses directories); otherwise it is a file, or a directory standing
 * for the regular files directly in it. Directories and globs skip hidden files (names starting
 * with {@code .}), which includes the temporary files of a target writing into the same
 * directory. Relative entries are resolved against a base directory, the working directory in
 * production. The result keeps the order of the entries, sorts the files of each entry by path,
 * and lists a file once even when several entries name it.
 *
 * <p>Threading: immutable; safe to share.
 *
 * @param files absolute, normalised paths of regular files; never empty
 */
record InputFiles(List<Path> files) {

    InputFiles {
        files = List.copyOf(files);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("files must not be empty");
        }
    }

    /**
     * Resolves the entries against the file system.
     *
     * @param key the entries' key in the job file, for messages ({@code "source.path"})
     * @throws ConfigException listing every entry that matched no file
     * @throws SyncException   when a directory cannot be listed
     */
    static InputFiles resolve(List<String> entries, Path baseDirectory, String key) {
        Set<Path> files = new LinkedHashSet<>();
        List<Violation> violations = new ArrayList<>();
        for (String entry : entries) {
            List<Path> matched = isGlob(entry) ? glob(entry, baseDirectory) : plain(entry, baseDirectory);
            if (matched.isEmpty()) {
                violations.add(new Violation(key, "matched no file", "'" + entry + "'"));
            }
            files.addAll(matched);
        }
        if (!violations.isEmpty()) {
            throw new ConfigException(violations);
        }
        return new InputFiles(new ArrayList<>(files));
    }

    /** One split per file, in file order, each with a readable id unique in the plan. */
    List<FileSplit> splits() {
        Map<String, Integer> nameCounts = new HashMap<>();
        for (Path file : files) {
            nameCounts.merge(file.getFileName().toString(), 1, Integer::sum);
        }
        List<FileSplit> splits = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            String name = files.get(i).getFileName().toString();
            String id = nameCounts.get(name) == 1 ? name : name + "#" + i;
            splits.add(new FileSplit(id, files.get(i).toString()));
        }
        return List.copyOf(splits);
    }

    static boolean isGlob(String entry) {
        for (int i = 0; i < entry.length(); i++) {
            char c = entry.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '{') {
                return true;
            }
        }
        return false;
    }

    private static List<Path> plain(String entry, Path baseDirectory) {
        Path path = baseDirectory.resolve(entry).toAbsolutePath().normalize();
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        if (Files.isDirectory(path)) {
            try (Stream<Path> children = Files.list(path)) {
                return children.filter(InputFiles::isVisibleFile).sorted().toList();
            } catch (IOException e) {
                throw new SyncException(ErrorKind.EXTERNAL, "cannot list directory '" + path + "': " + e, e);
            }
        }
        return List.of();
    }

    /**
     * Walks from the deepest directory free of glob characters, matching paths relative to it, so
     * that a glob such as {@code data/2024-??/x.csv} lists only {@code data} and what is below.
     */
    private static List<Path> glob(String entry, Path baseDirectory) {
        String[] segments = entry.split("/", -1);
        int firstGlob = 0;
        while (firstGlob < segments.length && !isGlob(segments[firstGlob])) {
            firstGlob++;
        }
        String fixed = String.join("/", List.of(segments).subList(0, firstGlob));
        String pattern = String.join("/", List.of(segments).subList(firstGlob, segments.length));
        if (fixed.isEmpty() && firstGlob == 1) {
            fixed = "/";
        }
        Path root = baseDirectory.resolve(fixed).toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        int depth = pattern.contains("**") ? Integer.MAX_VALUE : segments.length - firstGlob;
        try (Stream<Path> walk = Files.walk(root, depth)) {
            return walk.filter(InputFiles::isVisibleFile)
                    .filter(p -> matcher.matches(root.relativize(p)))
                    .sorted()
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new SyncException(ErrorKind.EXTERNAL, "cannot list directory '" + root + "' for '" + entry + "': "
                    + e.getMessage(), e);
        }
    }

    private static boolean isVisibleFile(Path path) {
        return Files.isRegularFile(path) && !path.getFileName().toString().startsWith(".");
    }
}
