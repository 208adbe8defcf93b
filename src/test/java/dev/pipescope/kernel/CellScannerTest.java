package dev.pipescope.kernel;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which lines of a cell are magics and which are Java. */
class CellScannerTest {

    private static ShellSession session;
    private static CellScanner scanner;

    @BeforeAll
    static void start() {
        session = ShellSession.start(ShellSession.Mode.LOCAL, System.getProperty("java.class.path"));
        scanner = new CellScanner(session.analysis());
    }

    @AfterAll
    static void stop() {
        session.close();
    }

    @Test
    void javaAndLineMagicsComeOutInOrderWithTheirLines() {
        List<CellScanner.Segment> segments = scanner.segments("int a = 1;\n%lsmagic\n\nint b = 2;\n%time a + b");
        assertEquals(List.of(
                new CellScanner.JavaLines("int a = 1;\n", 0),
                new CellScanner.LineMagicCall("lsmagic", "", 1),
                new CellScanner.JavaLines("\nint b = 2;\n", 2),
                new CellScanner.LineMagicCall("time", "a + b", 4)), segments);
    }

    @Test
    void percentLinesInsideJavaAreJava() {
        for (String cell : List.of(
                "String t = \"\"\"\n%s ran %d times\n\"\"\";",
                "/*\n%lsmagic\n*/",
                "int r = a\n    %b;",
                "foo(a,\n%b);",
                "int s = switch (a) { default -> a; }\n%b;",
                "String u = \"\"\"\n  \\\"\"\"\n%s\n\"\"\";")) {
            List<CellScanner.Segment> segments = scanner.segments(cell);
            assertEquals(List.of(new CellScanner.JavaLines(cell + "\n", 0)), segments, cell);
        }
    }

    @Test
    void magicsFollowFinishedStatementsAndBlocks() {
        for (String before : List.of("int a = 1;", "int a = 1; // done", "void f() { }", "if (true) { }", "/* c */", "class A { }", "")) {
            List<CellScanner.Segment> segments = scanner.segments(before + "\n%lsmagic");
            assertEquals(new CellScanner.LineMagicCall("lsmagic", "", 1), segments.get(segments.size() - 1), before);
        }
    }

    @Test
    void aCellMagicBelowJavaIsMisplaced() {
        List<CellScanner.Segment> segments = scanner.segments("int minRuns = 1;\n%%sql\nSELECT 1");
        assertEquals(new CellScanner.MisplacedCellMagic("sql", 1), segments.get(1));
    }

    @Test
    void aCellMagicIsTheFirstNonBlankLine() {
        Optional<CellScanner.CellMagicCall> call = CellScanner.cellMagic("\n%%sql result\nSELECT 1\nFROM t");
        assertEquals(Optional.of(new CellScanner.CellMagicCall("sql", "result", "SELECT 1\nFROM t", 2)), call);
        assertEquals(Optional.empty(), CellScanner.cellMagic("int x = 1;\n"));
    }

    @Test
    void maskingKeepsOffsetsAndBlanksMagicsOnly() {
        String cell = "%%time\nint x = 1;\n%lsmagic\nString t = \"\"\"\n%s\n\"\"\";\nx";
        String masked = scanner.maskMagics(cell);
        assertEquals(cell.length(), masked.length());
        assertFalse(masked.contains("%lsmagic") || masked.contains("%%time"), masked);
        assertTrue(masked.contains("\n%s\n"), masked);
        assertEquals(cell.indexOf("int x"), masked.indexOf("int x"));
        assertTrue(masked.endsWith("\nx"));
    }
}
