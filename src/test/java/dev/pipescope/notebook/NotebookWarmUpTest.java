package dev.pipescope.notebook;

import dev.pipescope.demo.DemoData;
import dev.pipescope.demo.DemoSize;
import dev.pipescope.error.PipescopeException;
import dev.pipescope.ops.Progress;
import dev.pipescope.testing.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The kernel warm-ups of the Pipescope integration run the helpers' code and leave no trace. */
class NotebookWarmUpTest {

    @TempDir
    Path dir;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private PrintStream out;
    private PrintStream err;

    // a warm-up runs while cells run: anything it printed would land in a cell's output
    @BeforeEach
    void capture() {
        out = System.out;
        err = System.err;
        PrintStream both = new PrintStream(printed, true, StandardCharsets.UTF_8);
        System.setOut(both);
        System.setErr(both);
    }

    @AfterEach
    void restore() {
        System.setOut(out);
        System.setErr(err);
        assertEquals("", printed.toString(StandardCharsets.UTF_8), "a warm-up printed");
    }

    @Test
    void theDatabaseWarmUpReadsTheNewestRunsAndLeavesTheFileAsItWas() throws IOException {
        Path file = dir.resolve("demo.db");
        DemoData.create(file, new DemoSize(3, 300, 2, 1, 2), DemoData.DEFAULT_SEED, Progress.NONE).close();
        List<String> before = listing();
        String hash = Fixtures.sha256(file);
        assertEquals(NotebookWarmUp.DATABASE_RUNS, NotebookWarmUp.database(file));
        assertEquals(hash, Fixtures.sha256(file));
        assertEquals(before, listing(), "the warm-up left a file behind (a journal, a copy)");
    }

    @Test
    void theDatabaseWarmUpOfAMissingFileFailsAndMakesNone() throws IOException {
        Path missing = dir.resolve("no-such.db");
        assertThrows(PipescopeException.class, () -> NotebookWarmUp.database(missing));
        assertEquals(List.of(), listing());
    }

    @Test
    void theTablesWarmUpRunsEveryHelperItNames() {
        assertEquals(List.of("countBy", "compare", "counts", "chart", "slowest", "graph", "cache"), NotebookWarmUp.tables());
    }

    private List<String> listing() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aSmallFileGivesAllItsRuns() throws IOException {
        Path file = dir.resolve("small.db");
        DemoData.create(file, new DemoSize(2, 40, 1, 0, 0), DemoData.DEFAULT_SEED, Progress.NONE).close();
        // 40 pipeline runs, plus the demo's Hyperpage jobs and etl-core executions: fewer than the cap
        int read = NotebookWarmUp.database(file);
        assertFalse(read == 0 || read == NotebookWarmUp.DATABASE_RUNS, "read " + read);
    }
}
