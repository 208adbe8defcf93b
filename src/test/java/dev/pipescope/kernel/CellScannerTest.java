package dev.pipescope.kernel;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which lines of a cell are magics and which are Java. */
class CellScannerTest {

    @Test
    void javaAndLineMagicsComeOutInOrderWithTheirLines() {
        List<CellScanner.Segment> segments = CellScanner.segments("int a = 1;\n%lsmagic\n\nint b = 2;\n%time a + b");
        assertEquals(List.of(
                new CellScanner.JavaLines("int a = 1;\n", 0),
                new CellScanner.LineMagicCall("lsmagic", "", 1),
                new CellScanner.JavaLines("\nint b = 2;\n", 2),
                new CellScanner.LineMagicCall("time", "a + b", 4)), segments);
    }

    @Test
    void aCellMagicIsTheFirstNonBlankLine() {
        Optional<CellScanner.CellMagicCall> call = CellScanner.cellMagic("\n%%sql result\nSELECT 1\nFROM t");
        assertEquals(Optional.of(new CellScanner.CellMagicCall("sql", "result", "SELECT 1\nFROM t", 2)), call);
        assertEquals(Optional.empty(), CellScanner.cellMagic("int x = 1;\n"));
    }

    @Test
    void maskingKeepsOffsetsAndBlanksMagics() {
        String cell = "%%time\nint x = 1;\n%lsmagic\nx";
        String masked = CellScanner.maskMagics(cell);
        assertEquals(cell.length(), masked.length());
        assertFalse(masked.contains("%"));
        assertEquals(cell.indexOf("int x"), masked.indexOf("int x"));
        assertTrue(masked.endsWith("\nx"));
    }
}
