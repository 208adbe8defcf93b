package dev.pipescope.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Expands a path that may contain glob characters ({@code lib/*.jar}, {@code libs/**}) into existing files. */
final class PathGlob {

    private PathGlob() {
    }

    static List<Path> expand(String pattern) {
        if (pattern.startsWith("~/")) {
            pattern = System.getProperty("user.home") + pattern.substring(1);
        }
        int firstGlob = indexOfGlob(pattern);
        if (firstGlob < 0) {
            Path path = Path.of(pattern);
            return Files.exists(path) ? List.of(path) : List.of();
        }
        int slash = pattern.lastIndexOf('/', firstGlob);
        Path base = slash < 0 ? Path.of("") : Path.of(slash == 0 ? "/" : pattern.substring(0, slash));
        String relativeGlob = pattern.substring(slash + 1);
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + relativeGlob);
        Path root = base.toString().isEmpty() ? Path.of(".") : base;
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        int depth = relativeGlob.contains("**") ? Integer.MAX_VALUE : relativeGlob.split("/").length;
        try (Stream<Path> walk = Files.walk(root, depth)) {
            return walk.filter(p -> !p.equals(root))
                    .filter(p -> matcher.matches(root.relativize(p)))
                    .map(p -> base.toString().isEmpty() ? root.relativize(p) : p)
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int indexOfGlob(String pattern) {
        for (int i = 0; i < pattern.length(); i++) {
            if ("*?[{".indexOf(pattern.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
