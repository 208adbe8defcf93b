package dev.pipescope.kernel;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Executes every notebooks/*.ipynb with Debian's nbclient against the installed kernelspec and checks
 * its outputs (no unexpected errors; the MIME types, texts and table rows its cells declare, see
 * src/test/python/run_notebooks.py). Notebooks added later are picked up automatically.
 *
 * <p>The kernels get what {@code kernel/start} gives them and nothing else: PIPESCOPE_DB, the demo
 * database made as kernel/start makes it (or -Dpipescope.db=..., as kernel/start's DATABASE argument).
 * So an example notebook that needs anything a test alone would set fails here.
 */
class NotebooksIT {

    @TempDir
    static Path temp;
    static JupyterHarness jupyter;

    @BeforeAll
    static void installKernel() throws Exception {
        jupyter = JupyterHarness.install(temp);
        String db = System.getProperty("pipescope.db");
        if (db == null || db.isBlank()) {
            jupyter.environment.put("PIPESCOPE_DB", jupyter.demoDatabase(temp.resolve("demo")).toString());
        }
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
        // 03-sql's refused ATTACH would otherwise have made this file beside the notebooks
        tests.add(DynamicTest.dynamicTest("a refused ATTACH made no file", () ->
                assertFalse(Files.exists(dir.resolve("elsewhere.db")), "ATTACH made a file")));
        return tests.stream();
    }
}
