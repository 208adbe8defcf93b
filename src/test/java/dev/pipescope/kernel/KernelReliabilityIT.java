package dev.pipescope.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.reliability.ReliabilityReport;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel's reliability cases through a real jupyter_client (src/test/python/reliability_kernel_test.py):
 * a read-only database cannot be changed from a cell, infinite loops are interruptible, unbounded
 * allocation fails the cell and not the kernel. Its figures go into RELIABILITY.md.
 */
class KernelReliabilityIT {
    private static final Pattern FIGURES = Pattern.compile(
            "FIGURES cases=(\\d+) failed=(\\d+) attacks=(\\d+) refused=(\\d+)");

    @TempDir
    static Path temp;
    static JupyterHarness jupyter;

    @BeforeAll
    static void installKernel() throws Exception {
        jupyter = JupyterHarness.install(temp);
    }

    @Test
    void kernelReliabilityCasesPass() throws Exception {
        JupyterHarness.Result result = jupyter.pythonSuite("reliability_kernel_test.py");
        for (var name : List.of("test_a_read_only_database_cannot_be_changed_from_a_cell",
                "test_infinite_loops_are_interruptible_and_the_kernel_stays_usable",
                "test_unbounded_allocation_fails_the_cell_and_the_kernel_lives")) {
            assertTrue(result.output().contains(name + " ") && !result.output().contains("skipped"), result.output());
        }
        var figures = FIGURES.matcher(result.output());
        assertTrue(figures.find(), "no figures line:\n" + result.output());
        var report = new LinkedHashMap<String, Number>();
        report.put("kernel cases run (jupyter_client)", Integer.parseInt(figures.group(1)));
        report.put("kernel cases failed", Integer.parseInt(figures.group(2)));
        report.put("write/ATTACH/PRAGMA attempts on a read-only database from a cell", Integer.parseInt(figures.group(3)));
        report.put("attempts refused (every write among them; file hash unchanged)", Integer.parseInt(figures.group(4)));
        ReliabilityReport.record("kernel", """
                Through jupyter_client (`src/test/python/reliability_kernel_test.py`): a database opened read-only in a
                cell is attacked with raw SQL on its own connections (UPDATE, DELETE, CREATE, ATTACH of the same file,
                PRAGMA writable_schema, PRAGMA query_only = OFF, VACUUM, the writer connection) and its hash stays the
                same; busy and interrupt-swallowing infinite loops are interrupted and the kernel keeps its state;
                unbounded allocation fails the cell with OutOfMemoryError and the kernel stays usable.""", report);
    }
}
