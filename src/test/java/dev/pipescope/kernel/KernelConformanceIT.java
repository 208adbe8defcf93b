package dev.pipescope.kernel;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Jupyter peers' kernel conformance suite (Debian's python3-jupyter-kernel-test) against the installed
 * kernel: every message checked against the message spec, with Java samples for each test the suite offers
 * (src/test/python/kernel_conformance_test.py). Any failure, error or unexpected skip fails the build.
 */
class KernelConformanceIT {

    /** Every test jupyter_kernel_test 0.4.5 offers; each has samples, so none may be skipped. */
    private static final List<String> TESTS = List.of("test_kernel_info", "test_execute_stdout", "test_execute_stderr",
            "test_completion", "test_is_complete", "test_error", "test_execute_result", "test_display_data",
            "test_history", "test_inspect", "test_clear_output", "test_pager");

    @TempDir
    static Path temp;
    static JupyterHarness jupyter;

    @BeforeAll
    static void installKernel() throws Exception {
        jupyter = JupyterHarness.install(temp);
    }

    @Test
    void theJupyterKernelTestSuitePasses() throws Exception {
        JupyterHarness.Result result = jupyter.pythonSuite("kernel_conformance_test.py", "-v");
        for (String test : TESTS) {
            assertTrue(result.output().contains(test + " (__main__.PipescopeKernelConformance." + test + ") ... ok"),
                    test + " did not pass:\n" + result.output());
        }
        assertTrue(result.output().contains("Ran 12 tests"), "the suite offers other tests now:\n" + result.output());
        // unittest's verdict line, with no "(skipped=...)"; interpreter-exit warnings may follow it
        assertTrue(Pattern.compile("(?m)^OK$").matcher(result.output()).find(), "a test failed or was skipped:\n" + result.output());
    }
}
