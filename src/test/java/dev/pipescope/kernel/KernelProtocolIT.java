package dev.pipescope.kernel;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernel through a real jupyter_client and nbclient: execute, complete, inspect, is_complete, history,
 * interrupt (also of a printing loop), shutdown, restart, printed output arriving whole and in order, results
 * too large to send, silent executions, forged, unsigned and replayed requests, and the parent dying. The cases
 * live in src/test/python/kernel_protocol_test.py; this runs them against the shaded jar.
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
        JupyterHarness.Result result = jupyter.pythonSuite("kernel_protocol_test.py", "-v");
        // the security, lifecycle and output cases must have run, not been skipped or removed
        for (String name : List.of(
                "test_message_signed_with_wrong_key_is_rejected_and_not_executed",
                "test_a_replayed_request_is_rejected_and_logged",
                "test_an_unsigned_request_is_rejected_and_logged",
                "test_kernel_exits_when_its_parent_dies",
                "test_jars_magic_installs_a_libraries_notebook_integration",
                "test_20_000_printed_lines_all_arrive_in_order",
                "test_200_000_printed_lines_all_arrive_and_the_cell_ends",
                "test_output_keeps_the_order_the_cell_made_it_in",
                "test_characters_of_several_bytes_are_never_cut",
                "test_interrupting_a_printing_loop_ends_with_the_error_and_the_idle_status",
                "test_history_search_without_n_returns_every_match",
                "test_silent_execution_is_not_recorded_and_does_not_advance_the_count",
                "test_interrupt_and_comm_info_replies_have_a_status",
                "test_a_result_too_large_to_send_is_an_error_and_the_kernel_stays_usable")) {
            assertTrue(result.output().contains(name + " "), name + " did not run:\n" + result.output());
        }
        // unittest's verdict line; interpreter-exit warnings (nbclient's event loop) may follow it
        assertTrue(Pattern.compile("(?m)^OK$").matcher(result.output()).find(),
                "some protocol tests were skipped or failed:\n" + result.output());
    }
}
