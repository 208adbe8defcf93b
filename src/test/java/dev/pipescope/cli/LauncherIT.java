package dev.pipescope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * its class-data archive, keeps working (silently, and then rebuilds the archive) when the archive is
 * stale or gone, and bash completion that completes commands and options. How fast it starts is
 * measured by bench/startup, not here.
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
        assertTrue(mapsItsArchive(), "the launcher's flags do not map " + archive);
    }

    @Test
    void infoLoadsItsClassesFromTheArchiveAndNoneOfWhatItDoesNotUse() throws Exception {
        Path db = Fixtures.copy("adaptive_pipeline.db", Files.createDirectories(temp.resolve("classes")));
        Path log = temp.resolve("info-classes.log");
        var builder = new ProcessBuilder(prefix.resolve("bin/pipescope").toString(), "info", db.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + log);
        assertEquals(0, builder.start().waitFor());
        var loaded = Files.readAllLines(log);
        // Jdbi's configuration, Jackson's mapper, Flyway, a zip file system over the jar: none is needed to answer
        for (var unused : List.of("org.jdbi.v3.core.Jdbi ", "com.fasterxml.jackson.databind.ObjectMapper ",
                "org.flywaydb.core.Flyway ", "jdk.nio.zipfs.ZipFileSystem ", "tech.tablesaw.")) {
            assertTrue(loaded.stream().noneMatch(line -> line.contains("] " + unused)), unused + "was loaded");
        }
        var notArchived = loaded.stream().filter(line -> line.contains(" source: ") && !line.contains("shared objects file"))
                .toList();
        assertTrue(loaded.size() > 1000 && notArchived.size() < 30,
                notArchived.size() + " of " + loaded.size() + " classes came from outside the archive: " + notArchived);
    }

    @Test
    void aStaleArchiveChangesNothingTheUserSeesAndIsRebuiltInTheBackground() throws Exception {
        Path db = Fixtures.copy("adaptive_pipeline.db", Files.createDirectories(temp.resolve("stale")));
        Path home = prefix.resolve("share/pipescope");
        Path launcher = prefix.resolve("bin/pipescope");
        var fresh = run(List.of(launcher.toString(), "info", db.toString()));
        assertEquals(0, fresh.code(), fresh.out());
        assertTrue(mapsItsArchive(), "a fresh install maps its archive");
        // what an install killed mid-way leaves (process ids no process has): the rebuild removes it
        long dead = Long.MAX_VALUE / 2;
        var leftovers = List.of(home.resolve("training." + dead), home.resolve("pipescope-cli.jsa." + dead),
                home.resolve("pipescope.jar.tmp" + dead), prefix.resolve("bin/pipescope.tmp" + dead));
        for (Path leftover : leftovers) {
            Files.writeString(leftover, "left by a killed install");
        }
        // the jar replaced (as by a copy of a new build): the JVM no longer takes the archive as its own
        Path jar = home.resolve("pipescope.jar");
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.from(java.time.Instant.now().plusSeconds(60)));
        Files.deleteIfExists(home.resolve(LauncherRefresh.LOG));
        assertFalse(mapsItsArchive(), "the archive should be stale now");
        var stale = runSeparately(List.of(launcher.toString(), "info", db.toString()));
        assertEquals(0, stale.code(), stale.err());
        assertEquals(fresh.out(), stale.out(), "same answer on stdout");
        assertEquals("", stale.err(), "nothing about the archive on stderr");
        waitForRebuild(home);
        assertTrue(mapsItsArchive(), "the rebuilt archive maps: " + Files.readString(home.resolve(LauncherRefresh.LOG)));
        for (Path leftover : leftovers) {
            assertFalse(Files.exists(leftover), leftover + " was left");
        }
    }

    @Test
    void aMissingArchiveOrJdkStillLeavesAWorkingCommand() throws Exception {
        Path home = prefix.resolve("share/pipescope");
        Path archive = home.resolve(LauncherInstaller.ARCHIVE_NAME);
        Path launcher = prefix.resolve("bin/pipescope");
        // the JDK the launcher names is gone: it runs the java on PATH
        Path moved = temp.resolve("moved-jdk-launcher");
        Files.writeString(moved, Files.readString(launcher).replaceFirst("(?m)^java=.*$", "java=/nonexistent/jdk/bin/java"));
        String javaBin = Path.of(System.getProperty("java.home"), "bin").toString();
        var onPath = runSeparately(List.of("env", "PATH=" + javaBin + ":/usr/bin:/bin", "sh", moved.toString(), "--version"));
        assertEquals(0, onPath.code(), onPath.err());
        assertTrue(onPath.out().startsWith("pipescope "), onPath.out());
        // the archive deleted: the command starts without it, says nothing, and makes it again
        Files.delete(archive);
        Files.deleteIfExists(home.resolve(LauncherRefresh.LOG));
        var without = runSeparately(List.of(launcher.toString(), "--version"));
        assertEquals(0, without.code(), without.err());
        assertTrue(without.out().startsWith("pipescope "), without.out());
        assertEquals("", without.err());
        waitForRebuild(home);
        assertTrue(Files.isRegularFile(archive) && mapsItsArchive(), Files.readString(home.resolve(LauncherRefresh.LOG)));
    }

    @Test
    void theTrainingRunWorksInTheFolderItIsGivenAndLeavesNothingInTheTemporaryDirectory() throws Exception {
        Path tmp = Files.createDirectories(temp.resolve("training-tmp"));
        Path work = Files.createDirectories(temp.resolve("training-work"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var training = runSeparately(List.of(java, "-Djava.io.tmpdir=" + tmp,
                "-cp", prefix.resolve("share/pipescope/pipescope.jar").toString(), LauncherTraining.class.getName(),
                work.toString()));
        assertEquals(0, training.code(), training.err());
        try (var left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList(), "the training left files in java.io.tmpdir");
        }
        assertTrue(Files.isRegularFile(work.resolve("pipescope.db")), "the training worked elsewhere");
    }

    /** Whether the launcher's own flags map the archive: with -Xshare:on the JVM refuses to start otherwise. */
    private static boolean mapsItsArchive() throws Exception {
        Path launcher = prefix.resolve("bin/pipescope");
        Path strict = temp.resolve("strict-launcher");
        Files.writeString(strict, Files.readString(launcher).replace("-Xshare:auto", "-Xshare:on")
                .replace("-Xlog:cds=off", "").replace("[ -f ", "[ -n "));
        var result = run(List.of("sh", strict.toString(), "--version"));
        return result.code() == 0 && result.out().startsWith("pipescope ");
    }

    /** Waits for the background rebuild that a stale archive starts to write its last line. */
    private static void waitForRebuild(Path home) throws Exception {
        Path log = home.resolve(LauncherRefresh.LOG);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).lines().count() >= 2) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no rebuild finished within 240 s; " + log + ": "
                + (Files.exists(log) ? Files.readString(log) : "absent"));
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

    record Separate(int code, String out, String err) {
    }

    /** Runs with stdout and stderr apart, to tell what reaches each. */
    static Separate runSeparately(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(temp, "out", ".txt");
        Path err = Files.createTempFile(temp, "err", ".txt");
        var builder = new ProcessBuilder(new ArrayList<>(command)).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("HOME", temp.resolve("home").toString());
        Process process = builder.start();
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not finish in 300 s");
        }
        return new Separate(process.exitValue(), Files.readString(out), Files.readString(err));
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
