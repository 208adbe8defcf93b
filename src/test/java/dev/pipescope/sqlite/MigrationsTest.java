package dev.pipescope.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The versions Pipescope knows are those of migrations/sqlite/, read from the index the build writes. */
class MigrationsTest {
    @Test
    void knownVersionsAreTheVersionedFilesOfTheMigrationsFolder() throws IOException {
        Path folder = Path.of(System.getProperty("pipescope.root", System.getProperty("user.dir")), "migrations", "sqlite");
        List<Integer> files;
        try (Stream<Path> listing = Files.list(folder)) {
            files = listing.map(p -> p.getFileName().toString())
                    .filter(name -> name.matches("V\\d+__.+\\.sql"))
                    .map(name -> Integer.parseInt(name.substring(1, name.indexOf("__"))))
                    .sorted()
                    .toList();
        }
        assertEquals(files, Migrations.knownVersions());
        assertEquals(files.get(files.size() - 1), Migrations.latestVersion());
    }
}
