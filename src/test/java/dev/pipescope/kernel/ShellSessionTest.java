package dev.pipescope.kernel;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real JShell evaluating in this JVM, as the kernel runs it (no Jupyter involved). */
class ShellSessionTest {

    private ShellSession session;

    @BeforeEach
    void start() {
        session = ShellSession.start(ShellSession.Mode.LOCAL, System.getProperty("java.class.path"));
    }

    @AfterEach
    void stop() {
        session.close();
    }

    @Test
    void onDemandImportsGoInTogetherAndABadOneImportsNone() {
        assertTrue(session.importOnDemand(List.of("java.util.*", "java.io.*", "static java.lang.Math.*")));
        assertEquals(3, session.eval("max(new File(\"x\").getName().length(), new ArrayList<>(List.of(1, 2, 3)).size())",
                "In [1]", 0).value());
        assertFalse(session.importOnDemand(List.of("java.time.*", "no.such.pkg.*")));
        assertThrows(CompileError.class, () -> session.eval("Duration.ofSeconds(1)", "In [2]", 0));
        assertThrows(IllegalArgumentException.class, () -> session.importOnDemand(List.of("java.util.List")));
    }

    @Test
    void lastExpressionIsTheLiveObjectNotItsString() {
        ShellSession.Value value = session.eval("var list = new java.util.ArrayList<String>();\nlist.add(\"a\");\nlist", "In [1]", 0);
        assertTrue(value.present());
        assertInstanceOf(java.util.ArrayList.class, value.value());
        assertEquals(List.of("a"), value.value());
    }

    @Test
    void theSameObjectComesBackAcrossCells() {
        session.eval("Object kept = new Object();", "In [1]", 0);
        Object first = session.eval("kept", "In [2]", 0).value();
        Object second = session.eval("kept", "In [3]", 0).value();
        assertSame(first, second);
    }

    @Test
    void declarationsAndStatementsHaveNoValue() {
        assertFalse(session.eval("int x = 5;", "In [1]", 0).present());
        assertFalse(session.eval("System.out.print(\"\");", "In [2]", 0).present());
        assertFalse(session.eval("x = 6", "In [3]", 0).present());
    }

    @Test
    void onlyABareExpressionShowsItsValueAsInIPython() {
        session.eval("int[] x = new int[2];\nint y = 0;", "In [1]", 0);
        assertFalse(session.eval("x[0] = 3;", "In [2]", 0).present());
        assertFalse(session.eval("x[1] = 4", "In [3]", 0).present());
        assertFalse(session.eval("y = 4", "In [4]", 0).present());
        assertFalse(session.eval("y += 2 // six", "In [5]", 0).present());
        assertFalse(session.eval("y;", "In [6]", 0).present());
        assertFalse(session.eval("Math.max(x[0], x[1]);  // a comment after the semicolon", "In [7]", 0).present());
        assertEquals(4, session.eval("Math.max(x[0], x[1]) // a comment", "In [8]", 0).value());
        assertEquals(3, session.eval("x[0]", "In [9]", 0).value());
        assertEquals(6, session.eval("y", "In [10]", 0).value());
        assertEquals(6, session.eval("y++", "In [11]", 0).value());
        assertEquals(true, session.eval("y == 7", "In [12]", 0).value());
        assertEquals(7, session.eval("int z = 7;\nz", "In [13]", 0).value());
    }

    @Test
    void expressionResultsDoNotPileUpAsDollarVariables() {
        session.eval("int kept = 1;", "In [1]", 0);
        for (int i = 0; i < 5; i++) {
            assertEquals(i + 1, session.eval(i + " + 1", "In [" + (i + 2) + "]", 0).value());
        }
        assertThrows(UserCodeError.class, () -> session.eval("Integer.parseInt(\"x\")", "In [7]", 0));
        assertEquals(List.of("kept"), session.variableNames());
    }

    @Test
    void nullResultIsPresentButNull() {
        ShellSession.Value value = session.eval("String s = null;\ns", "In [1]", 0);
        assertTrue(value.present());
        assertEquals(null, value.value());
    }

    @Test
    void compileErrorNamesTheCellLine() {
        CompileError error = assertThrows(CompileError.class,
                () -> session.eval("int a = 1;\n\nint b = a +\n   missing;", "In [7]", 0));
        assertEquals("CompileError", error.ename());
        assertTrue(error.getMessage().contains("cannot find symbol"), error.getMessage());
        assertTrue(error.getMessage().contains("line 4"), error.getMessage());
        assertTrue(error.traceback().get(0).startsWith("In [7], line 4:"), error.traceback().toString());
        assertFalse(String.join("\n", error.traceback()).contains("location: class \n"));
    }

    @Test
    void unfinishedCellIsACompileErrorNotASilentNoOp() {
        CompileError error = assertThrows(CompileError.class, () -> session.eval("int a = 1;\nfor (int i = 0; i < 3; i++) {", "In [2]", 0));
        assertTrue(error.getMessage().contains("line 2"), error.getMessage());
    }

    @Test
    void runtimeErrorIsNamedForTheExceptionAndPointsAtCellLines() {
        session.eval("void fail(String why) {\n  throw new IllegalStateException(why);\n}", "In [1]", 0);
        UserCodeError error = assertThrows(UserCodeError.class,
                () -> session.eval("int before = 1;\nfail(\"boom\");", "In [2]", 0));
        assertEquals("IllegalStateException", error.ename());
        assertEquals("boom", error.getMessage());
        List<String> traceback = error.traceback();
        assertEquals("IllegalStateException: boom", traceback.get(0));
        assertTrue(traceback.contains("    at fail, In [1], line 2"), traceback.toString());
        assertTrue(traceback.contains("    at In [2], line 2"), traceback.toString());
        assertTrue(traceback.stream().noneMatch(l -> l.contains("$JShell$") || l.contains("#")), traceback.toString());
    }

    @Test
    void causesAreReported() {
        UserCodeError error = assertThrows(UserCodeError.class,
                () -> session.eval("throw new RuntimeException(\"outer\", new java.io.IOException(\"disk\"));", "In [1]", 0));
        assertTrue(error.traceback().contains("Caused by: IOException: disk"), error.traceback().toString());
    }

    @Test
    void laterSnippetsOfAFailedCellDoNotRun() {
        assertThrows(UserCodeError.class, () -> session.eval("int n = 1;\nInteger.parseInt(\"x\");\nn = 2;", "In [1]", 0));
        assertEquals(1, session.eval("n", "In [2]", 0).value());
    }

    @Test
    void interruptStopsABusyLoopAndKeepsTheSession() throws Exception {
        session.eval("long spins = 0;", "In [1]", 0);
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread cell = new Thread(() -> {
            try {
                session.eval("while (true) { spins++; }", "In [2]", 0);
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        cell.start();
        Thread.sleep(300);
        session.interrupt();
        cell.join(5000);
        assertFalse(cell.isAlive(), "the cell kept running after the interrupt");
        Interrupted interrupted = assertInstanceOf(Interrupted.class, outcome.get());
        assertEquals("Interrupted", interrupted.ename());
        assertEquals(42, session.eval("6 * 7", "In [3]", 0).value());
    }

    @Test
    void anInterruptThatComesBeforeTheCellsCodeStartsStillStopsTheCell() {
        session.eval("long early = 0;", "In [1]", 0);
        session.beginCell();
        try {
            session.interrupt(); // e.g. while the kernel was still warming up, before the loop began
            Interrupted interrupted = assertThrows(Interrupted.class,
                    () -> session.eval("while (true) { early++; }", "In [2]", 0));
            assertEquals("Interrupted", interrupted.ename());
            // and a later part of the same cell does not run either
            assertThrows(Interrupted.class, () -> session.eval("early = 99;", "In [2]", 3));
        } finally {
            session.endCell();
        }
        assertEquals(0L, session.eval("early", "In [3]", 0).value());
        session.beginCell();
        try {
            assertEquals(42, session.eval("6 * 7", "In [4]", 0).value(), "a new cell starts uninterrupted");
        } finally {
            session.endCell();
        }
    }

    @Test
    void timeoutStopsACellThatRunsTooLong() {
        session.setTimeoutMillis(300);
        EvalTimeout timeout = assertThrows(EvalTimeout.class, () -> session.eval("Thread.sleep(10_000);", "In [1]", 0));
        assertTrue(timeout.getMessage().contains("300 ms"), timeout.getMessage());
        assertEquals(3, session.eval("1 + 2", "In [2]", 0).value());
    }

    @Test
    void redefiningAMethodKeepsTheValuesComputedWithIt() {
        session.eval("int f() { return 1; }", "In [1]", 0);
        session.eval("var v = f();\nint w = f();\nw = 5;\nvar list = new java.util.ArrayList<>(java.util.List.of(f()));", "In [2]", 0);
        Object list = session.eval("list", "In [3]", 0).value();
        session.eval("int f() { return 2; }", "In [4]", 0);
        assertEquals(1, session.eval("v", "In [5]", 0).value());
        assertEquals(5, session.eval("w", "In [6]", 0).value());
        assertSame(list, session.eval("list", "In [7]", 0).value());
        assertEquals(2, session.eval("f()", "In [8]", 0).value());
        // and again: the value moves on with each recompilation
        session.eval("int f() { return 3; }", "In [9]", 0);
        assertEquals(1, session.eval("v", "In [10]", 0).value());
    }

    @Test
    void aValueThatCannotBeKeptIsReportedNotSilentlyReset() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            session.eval("Object make() { return 1; }\nvar made = make();", "In [1]", 0);
            session.eval("record Point(int x) { }\nvar p = new Point(1);", "In [2]", 0);
            session.eval("int count() { return 1; }\nvar c = count();", "In [3]", 0);
            session.eval("String make() { return \"s\"; }", "In [4]", 0);
            // the same shape, but a new class: the old Point object is not one of the new Points
            session.eval("record Point(int x) { int twice() { return 2 * x; } }", "In [5]", 0);
            session.eval("String count() { return \"s\"; }", "In [6]", 0);
        } finally {
            System.setErr(original);
        }
        String notes = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, session.eval("made", "In [7]", 0).value(), notes);
        assertTrue(notes.contains("Note: p can no longer be used: Point changed (incompatible types"), notes);
        assertTrue(notes.contains("Note: c can no longer be used: count changed (incompatible types"), notes);
        assertFalse(notes.contains("made"), notes);
        assertThrows(CompileError.class, () -> session.eval("c", "In [8]", 0));
        // once its declaration compiles again, the value the user computed is back
        session.eval("int count() { return 7; }", "In [9]", 0);
        assertEquals(1, session.eval("c", "In [10]", 0).value());
    }

    @Test
    void aDeclarationIsNotedAsUnusableOnlyIfItStillIsWhenTheCellEnds() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            session.eval("int twice(int x) { return add(x, x); }\nint add(int a, int b) { return a + b; }", "In [1]", 0);
            assertEquals("", err.toString(StandardCharsets.UTF_8));
            session.eval("int broken() { return missing(1); }", "In [2]", 0);
        } finally {
            System.setErr(original);
        }
        assertEquals(4, session.eval("twice(2)", "In [3]", 0).value());
        String notes = err.toString(StandardCharsets.UTF_8);
        assertTrue(notes.contains("Note: broken is defined but cannot be used until method missing(int) is declared"), notes);
    }
}
