package dev.pipescope.kernel;

import dev.pipescope.demo.DemoData;

import dev.pipescope.Pipescope;
import dev.pipescope.demo.DemoScale;
import dev.pipescope.testing.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Executes every notebooks/*.ipynb with Debian's nbclient against the installed kernelspec and checks
 * its outputs (no unexpected errors; the MIME types, texts and table rows its cells declare, see
 * src/test/python/run_notebooks.py). Notebooks added later are picked up automatically.
 *
 * <p>The kernel gets PIPESCOPE_DB (-Dpipescope.db=..., else a SMALL demo database made here) and
 * PIPESCOPE_FIXTURES: a copy of the fixtures, whose hashes must be the same after every notebook ran,
 * since notebooks open other tools' files read-only (03-sql tries UPDATE, ATTACH and writable_schema).
 */
class NotebooksIT {

    @TempDir
    static Path temp;
    static JupyterHarness jupyter;
    static Path fixtures;
    static final Map<Path, String> fixtureHashes = new TreeMap<>();

    @BeforeAll
    static void installKernel() throws Exception {
        jupyter = JupyterHarness.install(temp);
        String db = System.getProperty("pipescope.db");
        if (db == null || db.isBlank()) {
            Path demo = Files.createDirectories(temp.resolve("demo")).resolve("pipescope-demo.db");
            DemoData.create(demo, DemoScale.SMALL).close();
            jupyter.environment.put("PIPESCOPE_DB", demo.toString());
        }
        fixtures = Files.createDirectories(temp.resolve("fixtures"));
        try (Stream<Path> files = Files.list(Fixtures.dir())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".db")).toList()) {
                Path copy = Fixtures.copy(file.getFileName().toString(), fixtures);
                fixtureHashes.put(copy, Fixtures.sha256(copy));
            }
        }
        jupyter.environment.put("PIPESCOPE_FIXTURES", fixtures.toString());
    }

    @TestFactory
    Stream<DynamicTest> everyNotebookRunsCleanly() throws IOException {
        Path dir = jupyter.projectRoot.resolve("notebooks");
        List<Path> notebooks;
        try (Stream<Path> files = Files.list(dir)) {
            notebooks = files.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
        }
        assertFalse(notebooks.isEmpty(), "no notebooks in " + dir);
        Path script = jupyter.projectRoot.resolve("src/test/python/run_notebooks.py");
        Path executed = jupyter.projectRoot.resolve("target/executed-notebooks");
        List<DynamicTest> tests = new ArrayList<>();
        for (Path notebook : notebooks) {
            tests.add(DynamicTest.dynamicTest(notebook.getFileName().toString(), () -> {
                JupyterHarness.Result result = jupyter.python(
                        List.of(script.toString(), "--out", executed.toString(), notebook.toString()), 900);
                System.out.println(result.output());
                assertEquals(0, result.exitCode(), result.output());
            }));
        }
        tests.add(DynamicTest.dynamicTest("fixtures opened read-only are unchanged", () -> {
            assertFalse(fixtureHashes.isEmpty());
            for (var entry : fixtureHashes.entrySet()) {
                assertEquals(entry.getValue(), Fixtures.sha256(entry.getKey()), entry.getKey() + " changed");
                assertFalse(Files.exists(jupyter.projectRoot.resolve("notebooks/elsewhere.db")), "ATTACH made a file");
            }
        }));
        return tests.stream();
    }
}
