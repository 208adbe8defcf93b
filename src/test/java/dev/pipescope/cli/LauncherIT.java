package dev.pipescope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kernel/install --prefix DIR} installs a {@code pipescope} command that works from DIR/bin with
 * its class-data archive, and bash completion that completes commands and options. How fast it starts
 * is measured by bench/startup, not here.
 */
class LauncherIT {
    @TempDir
    static Path temp;
    static Path prefix;
    static Path root;

    @BeforeAll
    static void installUnderATemporaryPrefix() throws Exception {
        root = Path.of(System.getProperty("pipescope.root", System.getProperty("user.dir"))).toAbsolutePath();
        Path jar = Path.of(System.getProperty("pipescope.jar", root.resolve("target/pipescope.jar").toString()));
        prefix = temp.resolve("prefix");
        var installed = run(List.of(root.resolve("kernel/install").toString(), "--prefix", prefix.toString(),
                "--jar", jar.toString(), "--heap", "256m"));
        assertEquals(0, installed.code(), installed.out());
        assertTrue(installed.out().contains("Installed " + prefix.resolve("bin/pipescope")), installed.out());
    }

    @Test
    void theLauncherAnswersInfoWithItsArchive() throws Exception {
        Path db = Fixtures.copy("adaptive_pipeline.db", Files.createDirectories(temp.resolve("db")));
        String before = Fixtures.sha256(db);
        Path archive = prefix.resolve("share/pipescope/pipescope-cli.jsa");
        assertTrue(Files.size(archive) > 1_000_000, "no class-data archive at " + archive);
        var info = run(List.of(prefix.resolve("bin/pipescope").toString(), "info", db.toString()));
        assertEquals(0, info.code(), info.out());
        assertTrue(info.out().contains("[ADAPTIVE_PIPELINE]") && info.out().contains("rows in pipelines"), info.out());
        assertEquals(before, Fixtures.sha256(db), "info changed the file");
        // the launcher really maps the archive: -Xshare:on fails when it cannot
        String launcher = Files.readString(prefix.resolve("bin/pipescope"));
        assertTrue(launcher.contains("-XX:SharedArchiveFile=" + archive) && launcher.contains("-XX:TieredStopAtLevel=1"), launcher);
        var strict = run(List.of("sh", "-c", "sed 's/-Xshare:auto/-Xshare:on/; s/-Xlog:cds=off//' \"$0\" > \"$0.strict\""
                + " && sh \"$0.strict\" --version", prefix.resolve("bin/pipescope").toString()));
        assertEquals(0, strict.code(), strict.out());
        assertTrue(strict.out().startsWith("pipescope "), strict.out());
    }

    @Test
    void bashCompletesCommandsAndOptions() throws Exception {
        Path completion = prefix.resolve("share/bash-completion/completions/pipescope");
        var result = run(List.of("bash", "-c", "source \"$0\";"
                + " COMP_WORDS=(pipescope in); COMP_CWORD=1; _complete_pipescope; echo \"${COMPREPLY[*]}\";"
                + " COMP_WORDS=(pipescope info --j); COMP_CWORD=2; _complete_pipescope; echo \"${COMPREPLY[*]}\"",
                completion.toString()));
        assertEquals(0, result.code(), result.out());
        assertEquals(List.of("info install", "--json"), result.out().lines().toList());
    }

    record Result(int code, String out) {
    }

    static Result run(List<String> command) throws IOException, InterruptedException {
        var builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
        builder.environment().put("HOME", temp.resolve("home").toString());
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not finish in 300 s");
        }
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
