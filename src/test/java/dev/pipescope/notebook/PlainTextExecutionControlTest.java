package dev.pipescope.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.domain.Pipeline;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jdk.jshell.spi.ExecutionControl;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;

/** Plain jshell's engine: text tables for tables and Pipescope records, interruptible snippets. */
class PlainTextExecutionControlTest {

    /** Snippet stand-ins: JShell invokes a static no-argument method. */
    public static Object spin() {
        long n = 0;
        while (n >= 0) {
            n++;
        }
        return n;
    }

    public static Object fail() {
        throw new IllegalStateException("boom");
    }

    @Test
    void tablesAndPipescopeRecordsShowAsAlignedTextAndOtherValuesAsJshellWould() {
        var table = Table.create("demo", LongColumn.create("n", new long[] {1, 22, 333}));
        assertEquals("\n" + TableRenderer.text(table), PlainTextExecutionControl.render(table));
        var pipelines = List.of(Pipeline.builder("a").build(), Pipeline.builder("b").build());
        var text = PlainTextExecutionControl.render(pipelines);
        assertTrue(text.contains("Pipeline: 2 rows"), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("id ") && l.contains(" name ") && l.contains("stages")), text);
        assertEquals("\"x\"", PlainTextExecutionControl.render("x"));
        assertEquals("[1, 2]", PlainTextExecutionControl.render(List.of(1, 2)));
        assertEquals("null", PlainTextExecutionControl.render(null));
    }

    @Test
    void aRunawaySnippetIsStoppedAndTheEngineStaysUsable() throws Exception {
        var control = new PlainTextExecutionControl();
        var running = CompletableFuture.supplyAsync(() -> {
            try {
                return control.invoke(PlainTextExecutionControlTest.class.getMethod("spin"));
            } catch (Exception e) {
                return e;
            }
        });
        Thread.sleep(300);
        control.stop();
        var outcome = running.get(10, TimeUnit.SECONDS);
        assertTrue(outcome instanceof ExecutionControl.StoppedException, String.valueOf(outcome));
        assertThrows(InvocationTargetException.class,
                () -> control.invoke(PlainTextExecutionControlTest.class.getMethod("fail")));
    }

    @Test
    void aTableIsPrintedWholeNotCutByJshell() {
        var table = tech.tablesaw.api.Table.create("runs",
                tech.tablesaw.api.StringColumn.create("error", java.util.stream.IntStream.range(0, 12)
                        .mapToObj(i -> "row " + i + " " + "x".repeat(100)).toArray(String[]::new)));
        var printed = new java.io.ByteArrayOutputStream();
        var value = PlainTextExecutionControl.show(table, new java.io.PrintStream(printed, true,
                java.nio.charset.StandardCharsets.UTF_8));
        var text = printed.toString(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < 12; i++) {
            assertTrue(text.contains("row " + i + " " + "x".repeat(100)), "row " + i + " printed whole");
        }
        assertTrue(text.length() > 1_000, "longer than jshell shows a value: " + text.length());
        assertTrue(value.length() < 80 && value.contains("runs") && value.contains("printed above"), value);
        assertEquals("\"x\"", PlainTextExecutionControl.show("x", new java.io.PrintStream(new java.io.ByteArrayOutputStream())));
    }
}
