package dev.pipescope.kernel;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cells through a real jupyter_client against the shaded jar: magic lines, shown values, is_complete on
 * cell magics, cursor positions in code points, overloaded tooltips, values kept across a redefinition.
 * The cases live in src/test/python/kernel_cells_test.py.
 */
class KernelCellsIT {

    @TempDir
    static Path temp;
    static JupyterHarness jupyter;

    @BeforeAll
    static void installKernel() throws Exception {
        jupyter = JupyterHarness.install(temp);
    }

    @Test
    void cellTestsPass() throws Exception {
        JupyterHarness.Result result = jupyter.pythonSuite("kernel_cells_test.py", "-v");
        assertTrue(result.output().contains("test_completion_counts_code_points"), result.output());
        assertTrue(result.output().strip().endsWith("OK"), "some cell tests were skipped or failed:\n" + result.output());
    }
}
