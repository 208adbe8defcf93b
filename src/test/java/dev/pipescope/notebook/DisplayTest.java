package dev.pipescope.notebook;

import dev.pipescope.demo.DemoData;
import dev.pipescope.demo.DemoScale;
import dev.pipescope.domain.RunFilter;
import dev.pipescope.domain.RunSource;
import dev.pipescope.error.InvalidArgumentException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the user sees: numbers that tell values apart, capped results that say so, arrays, exports. */
class DisplayTest {

    @TempDir
    static Path dir;
    static NotebookSession session;

    @BeforeAll
    static void demo() {
        Path file = dir.resolve("demo.db");
        DemoData.create(file, DemoScale.SMALL).close();
        session = NotebookSession.fromEnvironment(Map.of("PIPESCOPE_DB", file.toString()));
    }

    @AfterAll
    static void close() {
        session.close();
    }

    @Test
    void realsShowEnoughDigitsToTellThemApartAndWholeNumbersNone() {
        Table t = Table.create("reals", DoubleColumn.create("value", 0.001, 1e-9, -4.604223587690774, 99998.0, 0.1 + 0.2));
        List<String> cells = List.of(0, 1, 2, 3, 4).stream()
                .map(row -> TableRenderer.cell(t.column("value"), row, Formats.Kind.PLAIN)).toList();
        assertNotEquals(cells.get(0), cells.get(1));
        for (int row = 0; row < t.rowCount(); row++) {
            assertEquals(t.doubleColumn("value").get(row), Double.parseDouble(cells.get(row)), cells.get(row));
        }
        assertEquals("99998", cells.get(3));
        assertEquals("-4.604223587690774", cells.get(2));
        // columns formatted with units keep them
        assertEquals("1.0 KiB", TableRenderer.cell(DoubleColumn.create("bytes_processed", 1024.0), 0, Formats.Kind.BYTES));
    }

    @Test
    void aCappedRunsTableSaysHowManyItLeftOut() {
        long total = session.allRuns().rowCount();
        assertTrue(total > 5);
        Table capped = session.runs(RunFilter.capped().limit(5));
        assertEquals(5, capped.rowCount());
        assertTrue(capped.name().contains("first 5 of " + Captions.count(total)), capped.name());
        assertTrue(TableRenderer.html(capped).contains("first 5 of " + Captions.count(total)));
        Table whole = session.runs(RunFilter.capped().limit((int) total));
        assertEquals(total, whole.rowCount());
        assertEquals("runs", whole.name());
    }

    @Test
    void describeAndOpenShowTheirTextOnceAsTheResult() {
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed));
        String text;
        try {
            text = session.describe();
        } finally {
            System.setOut(out);
        }
        assertTrue(text.contains("pipelines: 14"), text);
        assertEquals("", printed.toString());
    }

    @Test
    void arraysRenderAsListsNotJavaIdentities() {
        var recorded = new PipescopeIntegrationTest.Recorded(Map.of());
        new PipescopeIntegration().configure(recorded);
        var renderer = recorded.renderers.get(Object.class);
        String text = (String) renderer.apply(RunSource.values()).data().get("text/plain");
        assertEquals(Arrays.toString(RunSource.values()), text);
        assertEquals("[[1, 2], [3]]", renderer.apply(new int[][] {{1, 2}, {3}}).data().get("text/plain"));
        assertEquals(null, renderer.apply("not an array"));
        // the kernel finds Object before Collection for a list: lists of records still render as tables
        var pipelines = session.db().pipelines().listIncludingArchived().subList(0, 3);
        String html = (String) renderer.apply(pipelines).data().get("text/html");
        assertEquals(3, TableRendererTest.bodyRows(html));
        assertEquals(null, renderer.apply(List.of(1, 2)));
    }

    @Test
    void exportWritesCsvWithIntegersAsIntegersAndRefusesParquetBeforeCreatingAFile() throws Exception {
        Table runs = session.allRuns();
        Path csv = dir.resolve("runs.csv");
        String said = Helpers.export(runs, csv);
        assertTrue(said.contains(Captions.count(runs.rowCount()) + " rows"), said);
        List<String> lines = Files.readAllLines(csv);
        assertEquals(runs.rowCount() + 1, lines.size());
        assertFalse(lines.stream().anyMatch(l -> l.matches(".*\\d\\.\\d+E\\d.*")), "no 8.49916956E8 in " + lines.get(1));
        Table back = Table.read().csv(CsvReadOptions.builder(csv.toFile()).build());
        DoubleColumn bytes = runs.doubleColumn("bytes_processed");
        assertEquals(bytes.sum(), ((tech.tablesaw.api.NumericColumn<?>) back.column("bytes_processed")).sum(), 0.5);

        Path parquet = dir.resolve("runs.parquet");
        var e = assertThrows(InvalidArgumentException.class, () -> Helpers.export(runs, parquet));
        assertTrue(e.getMessage().contains(".csv"), e.getMessage());
        assertFalse(Files.exists(parquet));
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".part")));
        }
    }
}
