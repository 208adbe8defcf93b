package dev.pipescope.kernel;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Executes every notebooks/*.ipynb with Debian's nbclient against the installed kernelspec and checks
 * its outputs (no unexpected errors; the MIME types, texts and table rows its cells declare, see
 * src/test/python/run_notebooks.py). Notebooks added later are picked up automatically.
 * -Dpipescope.db=... and -Dpipescope.fixtures=... reach the kernel as PIPESCOPE_DB / PIPESCOPE_FIXTURES.
 */
class NotebooksIT {

    @TempDir
    static Path temp;
    static JupyterHarness jupyter;

    @BeforeAll
    static void installKernel() throws Exception {
        jupyter = JupyterHarness.install(temp);
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
        return notebooks.stream().map(notebook -> DynamicTest.dynamicTest(notebook.getFileName().toString(), () -> {
            JupyterHarness.Result result = jupyter.python(
                    List.of(script.toString(), "--out", executed.toString(), notebook.toString()), 900);
            System.out.println(result.output());
            assertEquals(0, result.exitCode(), result.output());
        }));
    }
}
