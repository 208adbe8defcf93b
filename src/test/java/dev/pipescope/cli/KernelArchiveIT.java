package dev.pipescope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pipescope kernel install} trains the kernel's class-data archive on an analyst's first cells over a
 * small demo database, so that a kernel maps the classes those cells load (tables, charts, the run readers,
 * SQL) instead of reading them from the jar. How much faster that starts is measured by bench/session.
 */
class KernelArchiveIT {
    /** Classes only an analyst's cells load: none of them was in the archive trained on trivial cells. */
    static final List<String> SESSION_CLASSES = List.of("dev.pipescope.notebook.NotebookWarmUp",
            "dev.pipescope.notebook.Charts", "dev.pipescope.notebook.RunColumnsTable", "dev.pipescope.notebook.SqlRunner",
            "dev.pipescope.source.runs.UnifiedRuns", "org.sqlite.JDBC", "tech.tablesaw.api.Table",
            "org.jfree.chart.JFreeChart", "com.github.weisj.jsvg.parser.SVGLoader",
            "org.eclipse.elk.alg.layered.LayeredLayoutProvider");

    @TempDir
    Path temp;

    @Test
    void theArchiveHoldsTheClassesOfAnAnalystsFirstCells() throws Exception {
        Path built = Path.of(System.getProperty("pipescope.jar", "target/pipescope.jar"));
        // a copy: the archive is written beside the jar, and this one must be trained afresh
        Path jar = Files.copy(built, temp.resolve("pipescope.jar"));
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        var installer = new KernelSpecInstaller(javaBin, jar, "1g", 0, "archive-test", "archive test", false, false);
        assertEquals(Optional.empty(), installer.ensureClassDataArchive());
        assertTrue(Files.size(installer.classDataArchive()) > 1_000_000, "no archive at " + installer.classDataArchive());
        assertEquals(List.of("pipescope.jar", "pipescope.jsa"), listing(), "the training left files behind");

        // a JVM started as kernel.json starts the kernel loads each of them from the archive (-Xshare:on: or fails)
        var command = new ArrayList<String>(List.of(javaBin.toString(), "-Xshare:on", "-XX:SharedArchiveFile=" + installer.classDataArchive(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true", "-Xlog:class+load=info",
                "-cp", jar + java.io.File.pathSeparator + testClasses(), LoadClasses.class.getName()));
        command.addAll(SESSION_CLASSES);
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "the class-loading JVM did not end");
        assertEquals(0, process.exitValue(), log);
        for (String name : SESSION_CLASSES) {
            String line = log.lines().filter(l -> l.contains(" " + name + " source:")).findFirst().orElse("(not loaded)");
            assertTrue(line.contains("source: shared objects file"), name + " came from elsewhere: " + line);
        }
    }

    private List<String> listing() throws IOException {
        try (var files = Files.list(temp)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static Path testClasses() throws Exception {
        return Path.of(LoadClasses.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** Loads the classes named, without initializing them. */
    public static final class LoadClasses {
        public static void main(String[] names) throws ClassNotFoundException {
            for (String name : names) {
                Class.forName(name, false, LoadClasses.class.getClassLoader());
            }
        }
    }
}
