package dev.pipescope.kernel;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernel through a real jupyter_client: execute, complete, inspect, is_complete, interrupt,
 * shutdown, restart, a forged (wrong key) request, and the parent dying. The cases live in
 * src/test/python/kernel_protocol_test.py; this runs them against the shaded jar.
 */
class KernelProtocolIT {

    @TempDir
    static Path temp;
    static JupyterHarness jupyter;

    @BeforeAll
    static void installKernel() throws Exception {
        jupyter = JupyterHarness.install(temp);
    }

    @Test
    void protocolTestsPass() throws Exception {
        Path script = jupyter.projectRoot.resolve("src/test/python/kernel_protocol_test.py");
        JupyterHarness.Result result = jupyter.python(List.of(script.toString(), "-v"), 600);
        System.out.println(result.output());
        assertEquals(0, result.exitCode(), result.output());
        // the security and lifecycle cases must have run, not been skipped or removed
        assertTrue(result.output().contains("test_message_signed_with_wrong_key_is_rejected_and_not_executed"), result.output());
        assertTrue(result.output().contains("test_kernel_exits_when_its_parent_dies"), result.output());
        assertTrue(result.output().contains("test_jars_magic_installs_a_libraries_notebook_integration"), result.output());
        assertTrue(result.output().strip().endsWith("OK"), "some protocol tests were skipped or failed:\n" + result.output());
    }
}
