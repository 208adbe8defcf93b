package dev.pipescope.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.cli.ExitCodes;
import dev.pipescope.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pipescope backup} in a child process under a file-size limit ({@code ulimit -f}), the way a full
 * device or a quota shows itself: the failure names the environment (exit 6), never the user's file,
 * and leaves nothing in the backups folder.
 */
class EnvironmentFailureTest {
    @TempDir
    Path dir;
    Path database;

    @BeforeEach
    void demoDatabase() {
        database = dir.resolve("src.db");
        int code = Main.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                "demo", database.toString(), "--scale", "small", "--no-progress");
        assertEquals(0, code);
    }

    @Test
    void aFileSizeLimitDuringBackupIsReportedAsTheEnvironment() throws Exception {
        long kib = Files.size(database) / 1024 / 2; // room for SQLite's native library, not for the copy
        var result = backupUnderLimit(Math.max(kib, 2_000), dir.resolve("native-ok"));
        assertEquals(ExitCodes.ENVIRONMENT, result.code(), result.stderr());
        assertTrue(result.stderr().contains("no room to write"), result.stderr());
        assertTrue(result.stderr().contains("file-size limit"), result.stderr());
        assertFalse(result.stderr().contains("not a readable SQLite database"), result.stderr());
        assertEquals(List.of(), backupsFolder(), "nothing left in the backups folder");
    }

    @Test
    void aNativeLibraryThatCannotBeExtractedIsReportedAsTheEnvironment() throws Exception {
        var result = backupUnderLimit(100, dir.resolve("native-too-small"));
        assertEquals(ExitCodes.ENVIRONMENT, result.code(), result.stderr());
        assertTrue(result.stderr().contains("native library could not be loaded"), result.stderr());
        assertFalse(result.stderr().contains(database.toString()), "the user's file is not blamed: " + result.stderr());
    }

    private record Result(int code, String stderr) {}

    private Result backupUnderLimit(long kib, Path sqliteTmp) throws Exception {
        Files.createDirectories(sqliteTmp);
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = "ulimit -f " + kib + " && exec \"$0\" \"$@\"";
        var child = new ProcessBuilder("bash", "-c", command, java, "-Xmx128m", "-XX:TieredStopAtLevel=1",
                "-Dorg.sqlite.tmpdir=" + sqliteTmp, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "backup", database.toString(), "--no-progress")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        var stderr = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not finish");
        return new Result(child.exitValue(), stderr);
    }

    private List<Path> backupsFolder() throws Exception {
        var folder = dir.resolve("backups");
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (var files = Files.list(folder)) {
            return files.toList();
        }
    }
}
