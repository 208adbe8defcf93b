package dev.pipescope.kernel;

import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Completion, inspection and is_complete against a real JShell session, as the kernel asks them. */
class CodeAssistTest {

    private ShellSession session;
    private CodeAssist assist;

    @BeforeEach
    void start() {
        session = ShellSession.start(ShellSession.Mode.LOCAL, System.getProperty("java.class.path"));
        assist = new CodeAssist(session, new CellScanner(session.analysis()), name -> name.equals("time") || name.equals("sql"));
    }

    @AfterEach
    void stop() {
        session.close();
    }

    @Test
    void completionOffersMembersAndTheRangeToReplace() {
        session.eval("int count = 1;", "In [1]", 0);
        String code = "int other = 2;\nString.valueOf(count).toUpp";
        ReplacementOptions options = assist.complete(code, code.length());
        assertTrue(options.getReplacements().contains("toUpperCase("), options.getReplacements().toString());
        assertEquals(code.length() - "toUpp".length(), options.getSourceStart());
        assertEquals(code.length(), options.getSourceEnd());
    }

    @Test
    void magicLinesAreLeftOutOfWhatJShellIsAsked() {
        String code = "%%time\n%lsmagic\nString.valueOf(1).toUpp";
        ReplacementOptions options = assist.complete(code, code.length());
        assertTrue(options.getReplacements().contains("toUpperCase("), options.getReplacements().toString());
        assertEquals("complete", assist.isComplete("%lsmagic\nint x = 1;"));
    }

    @Test
    void inspectionGivesSignatureAndJavadocSummary() {
        String code = "Math.max";
        String doc = assist.inspect(code, 6, false);
        assertNotNull(doc);
        assertTrue(doc.contains("int Math.max(int a, int b)"), doc);
    }

    @Test
    void inspectionAddsTheJavadocSummaryWhenTheJdkSourcesAreInstalled() {
        Assumptions.assumeTrue(Files.isRegularFile(Path.of(System.getProperty("java.home"), "lib", "src.zip")),
                "the JDK sources (Debian: openjdk-17-source) are not installed");
        String doc = assist.inspect("Math.max(1, 2)", 6, false);
        assertTrue(doc.contains("int Math.max(int a, int b)\nReturns the greater of two int values."), doc);
    }

    @Test
    void javadocSummaryIsTheFirstParagraphAsPlainText() {
        String javadoc = " Returns the {@code int} value of {@link Integer#MAX_VALUE} or\n the <i>other</i>.\n<p>\n More.\n@param a one";
        assertEquals("Returns the int value of Integer#MAX_VALUE or the other.", CodeAssist.summary(javadoc));
    }

    @Test
    void inspectionOfAVariableGivesItsType() {
        session.eval("var names = new java.util.TreeSet<String>();", "In [1]", 0);
        String doc = assist.inspect("names", 2, false);
        assertNotNull(doc);
        assertTrue(doc.contains("names") && doc.contains("TreeSet"), doc);
    }

    @Test
    void isCompleteTellsSyntaxErrorsFromUnfinishedInput() {
        assertEquals("complete", assist.isComplete("int x = 1;\nx + 1"));
        assertEquals("    ", assist.isComplete("for (int i = 0; i < 3; i++) {"));
        assertEquals("invalid", assist.isComplete("x +* 2;"));
        assertEquals("invalid", assist.isComplete("int y = ;"));
        assertEquals("complete", assist.isComplete("void m() { System.out.println(); }"));
        assertEquals("complete", assist.isComplete("import java.time.*;"));
    }

    @Test
    void aCellMagicCellIsCompleteOnceItHasABody() {
        assertEquals("complete", assist.isComplete("%%sql\nSELECT 1 AS x"));
        assertEquals("complete", assist.isComplete("\n%%sql result\nSELECT *\nFROM runs"));
        assertEquals("", assist.isComplete("%%sql"));
        assertEquals("", assist.isComplete("%%sql result\n  \n"));
        assertEquals("invalid", assist.isComplete("%%nosuch\nanything"));
        assertEquals("invalid", assist.isComplete("int minRuns = 1;\n%%sql\nSELECT 1"));
    }

    @Test
    void aCellMagicsBodyIsNotCompletedAsJava() {
        String cell = "%%sql\nSELECT str";
        ReplacementOptions options = assist.complete(cell, cell.length());
        assertEquals(List.of(), options.getReplacements());
        assertEquals(cell.length(), options.getSourceStart());
        assertEquals(null, assist.inspect(cell, cell.length(), false));
    }

    @Test
    void aTimedCellIsJavaAndCompleteWhenItsJavaIs() {
        assertEquals("complete", assist.isComplete("%%time\nint x = 1;\n%lsmagic\nx"));
        assertEquals("    ", assist.isComplete("%%time\nfor (int i = 0; i < 3; i++) {"));
        assertEquals("", assist.isComplete("%%time"));
        assertEquals("invalid", assist.isComplete("%%time\nint y = ;"));
    }

    @Test
    void cursorPositionsCountCodePointsAsTheProtocolDoes() {
        // two mathematical bold letters: one code point each, two UTF-16 units each
        String code = "String t = \"\uD835\uDC1A\uD835\uDC1A\"; Math.ma";
        int end = code.codePointCount(0, code.length());
        assertEquals(24, end);
        ReplacementOptions options = assist.complete(code, end);
        assertTrue(options.getReplacements().contains("max("), options.getReplacements().toString());
        assertEquals(22, options.getSourceStart());
        assertEquals(24, options.getSourceEnd());
        String doc = assist.inspect("String t = \"\uD835\uDC1A\uD835\uDC1A\"; Math.max(1, 2)", 23, false);
        assertNotNull(doc);
        assertTrue(doc.contains("Math.max(int a, int b)"), doc);
    }

    @Test
    void aCursorPastTheEndIsTheEnd() {
        String code = "\uD835\uDC1A; Math.ab";
        ReplacementOptions options = assist.complete(code, 99);
        assertTrue(options.getReplacements().contains("abs("), options.getReplacements().toString());
        assertEquals(code.codePointCount(0, code.length()), options.getSourceEnd());
    }

    @Test
    void inspectionShowsEachOverloadOnce() {
        // an overload that calls one defined after it is recompiled when that one arrives, and JShell then lists both twice
        session.eval("String label(String t, int width) { return label(t); }\nString label(String t) { return t; }", "In [1]", 0);
        String doc = assist.inspect("label(", 6, false);
        assertNotNull(doc);
        List<String> entries = List.of(doc.split("\n\n"));
        assertEquals(2, entries.size(), doc);
        assertEquals(Set.of("String label(String t, int width)", "String label(String t)"), Set.copyOf(entries));
    }
}
