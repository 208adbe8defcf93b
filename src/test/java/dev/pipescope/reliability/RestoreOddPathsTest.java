package dev.pipescope.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.Pipescope;
import dev.pipescope.domain.Pipeline;
import dev.pipescope.error.PipescopeException;
import dev.pipescope.ops.Backup;
import dev.pipescope.ops.Backups;
import dev.pipescope.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every odd thing a restore can be pointed at, tried with the default options: what Pipescope cannot prove
 * is the database the user meant is refused, and left exactly as it was (no file renamed, written or made).
 */
class RestoreOddPathsTest {
    @TempDir
    Path dir;

    private Backup backupIn(Path folder) {
        var file = folder.resolve("source.db");
        try (var db = Pipescope.open(file)) {
            db.pipelines().save(Pipeline.builder("kept").build());
        }
        return Backups.forFile(file).create("odd paths");
    }

    /** The listing of a folder with every file's hash: what "left as it was" means. */
    private static Map<String, String> state(Path folder) throws IOException {
        var state = new java.util.TreeMap<String, String>();
        try (var files = Files.walk(folder)) {
            for (var f : files.toList()) {
                var name = folder.relativize(f).toString();
                state.put(name, Files.isSymbolicLink(f) ? "link " + Files.readSymbolicLink(f)
                        : Files.isDirectory(f) ? "dir" : Fixtures.sha256(f));
            }
        }
        return state;
    }

    @Test
    void oddPathsAreRefusedAndLeftAsTheyWere() throws Exception {
        var backup = backupIn(Files.createDirectories(dir.resolve("backups-home")));
        Map<String, Path> cases = new LinkedHashMap<>();
        var folder = Files.createDirectories(dir.resolve("a-directory.db"));
        Files.writeString(folder.resolve("inside.txt"), "keep me");
        cases.put("a directory", folder);
        var random = dir.resolve("random.db");
        var bytes = new byte[32 * 1024];
        new Random(11).nextBytes(bytes);
        Files.write(random, bytes);
        cases.put("random bytes", random);
        var text = dir.resolve("text.db");
        Files.writeString(text, "a text file someone named .db\n".repeat(100));
        cases.put("a text file", text);
        var corrupt = dir.resolve("corrupt-schema.db");
        try (var db = Pipescope.open(corrupt)) {
            db.pipelines().save(Pipeline.builder("x").build());
        }
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + corrupt); var st = c.createStatement()) {
            st.execute("PRAGMA journal_mode = DELETE");
            st.execute("PRAGMA writable_schema = ON");
            st.execute("UPDATE sqlite_master SET sql = 'CREATE TABLE pipelines (' WHERE name = 'pipelines'");
        }
        cases.put("a corrupt schema", corrupt);
        cases.put("a missing file", dir.resolve("missing.db"));
        var dangling = Files.createSymbolicLink(dir.resolve("dangling.db"), Path.of("nowhere", "gone.db"));
        cases.put("a dangling symbolic link", dangling);

        int refused = 0;
        var outcomes = new java.util.ArrayList<String>();
        for (var entry : cases.entrySet()) {
            var before = state(dir);
            try {
                Backups.forFile(entry.getValue()).restore(backup);
                outcomes.add(entry.getKey() + ": restored over it");
            } catch (PipescopeException e) {
                if (before.equals(state(dir))) {
                    refused++;
                } else {
                    var after = state(dir);
                    var changed = new java.util.TreeSet<>(after.keySet());
                    changed.addAll(before.keySet());
                    changed.removeIf(name -> java.util.Objects.equals(before.get(name), after.get(name)));
                    outcomes.add(entry.getKey() + ": refused but the folder changed: " + changed);
                }
            }
        }
        assertEquals(List.of(), outcomes);
        assertEquals(cases.size(), refused);
        ReliabilityReport.record("Restore odd paths", """
                A restore pointed at a directory, random bytes, a text file, a corrupt schema, a missing file or a
                dangling symbolic link, with the default options: each refused with a typed error, and the folder
                (every file's SHA-256, every link) exactly as before. `--force` / `--create` are the explicit ways.""",
                Map.of("odd paths tried", cases.size(), "refused with everything left as it was", refused));
        assertTrue(refused > 0);
    }
}
