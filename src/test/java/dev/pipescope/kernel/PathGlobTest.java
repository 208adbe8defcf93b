package dev.pipescope.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PathGlobTest {

    @Test
    void expandsStarsAndDoubleStars(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("lib/nested"));
        Files.writeString(dir.resolve("lib/a.jar"), "");
        Files.writeString(dir.resolve("lib/b.jar"), "");
        Files.writeString(dir.resolve("lib/notes.txt"), "");
        Files.writeString(dir.resolve("lib/nested/c.jar"), "");
        assertEquals(List.of(dir.resolve("lib/a.jar"), dir.resolve("lib/b.jar")), PathGlob.expand(dir + "/lib/*.jar"));
        assertEquals(3, PathGlob.expand(dir + "/lib/**.jar").size());
        assertEquals(List.of(dir.resolve("lib/notes.txt")), PathGlob.expand(dir + "/lib/notes.txt"));
        assertEquals(List.of(), PathGlob.expand(dir + "/lib/*.war"));
        assertEquals(List.of(), PathGlob.expand(dir + "/missing/*.jar"));
    }

    @Test
    void pathsMayHaveSpaces(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("my libs/sub dir"));
        Files.writeString(dir.resolve("my libs/a b.jar"), "");
        Files.writeString(dir.resolve("my libs/sub dir/c.jar"), "");
        assertEquals(List.of(dir.resolve("my libs/a b.jar")), PathGlob.expand(dir + "/my libs/*.jar"));
        assertEquals(2, PathGlob.expand(dir + "/my libs/**.jar").size());
        assertEquals(List.of(dir.resolve("my libs/a b.jar")), PathGlob.expand(dir + "/my libs/a b.jar"));
    }
}
