package dev.pipescope.kernel;

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
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Magics and mixed cells, run through a real JShell session. */
class CellRunnerTest {

    private ShellSession session;
    private CellRunner runner;
    private final List<ClassLoader> jarsAddedCalls = new ArrayList<>();
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream originalOut;

    @BeforeEach
    void start() {
        session = ShellSession.start(ShellSession.Mode.LOCAL, System.getProperty("java.class.path"));
        runner = new CellRunner(session, jarsAddedCalls::add);
        originalOut = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        System.setOut(originalOut);
        session.close();
    }

    private String output() {
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void lineTimeMagicReturnsTheValueAndPrintsWallTime() {
        ShellSession.Value value = runner.run("%time 20 + 22", "In [1]");
        assertEquals(42, value.value());
        assertTrue(output().matches("(?s)Wall time: \\d+\\.\\d ms\\R"), output());
    }

    @Test
    void cellTimeMagicTimesTheWholeBodyAndKeepsBodyLineNumbers() {
        ShellSession.Value value = runner.run("%%time\nint a = 2;\na * 21", "In [1]");
        assertEquals(42, value.value());
        assertTrue(output().startsWith("Wall time: "), output());
        CompileError error = assertThrows(CompileError.class, () -> runner.run("%%time\nint ok = 1;\nnope();", "In [2]"));
        assertTrue(error.getMessage().contains("line 3"), error.getMessage());
    }

    @Test
    void javaAroundLineMagicsRunsInOrderWithCellLineNumbers() {
        UserCodeError error = assertThrows(UserCodeError.class,
                () -> runner.run("int a = 1;\n%lsmagic\nint b = 2;\nthrow new IllegalArgumentException(\"x\");", "In [3]"));
        assertTrue(output().contains("Line magics:"), output());
        assertTrue(error.traceback().contains("    at In [3], line 4"), error.traceback().toString());
        assertEquals(2, runner.run("b", "In [4]").value());
    }

    @Test
    void aPercentLineInsideATextBlockIsJavaNotAMagic() {
        String cell = "String template = \"\"\"\n    %s ran %d times\n    \"\"\";\nString.format(template, \"ingest\", 3)";
        assertEquals("ingest ran 3 times\n", runner.run(cell, "In [1]").value());
    }

    @Test
    void aPercentLineThatContinuesAnExpressionIsTheRemainderOperator() {
        runner.run("int a = 7, b = 4;", "In [1]");
        assertEquals(3, runner.run("int r = a\n    %b;\nr", "In [2]").value());
        assertEquals(3, runner.run("int s = switch (a) { default -> a; }\n%b;\ns", "In [3]").value());
        assertEquals(1, runner.run("String.valueOf(a\n%b\n).length()", "In [4]").value());
    }

    @Test
    void aPercentLineInACommentIsNeitherJavaNorAMagic() {
        assertEquals(2, runner.run("/* notes\n%lsmagic\n*/\nint c = 2;\nc", "In [1]").value());
        assertFalse(output().contains("Line magics:"), output());
    }

    @Test
    void lineMagicsAreRecognisedWhereAStatementCanStart() {
        runner.run("int d = 1; // a comment\n%lsmagic\nvoid f() { }\n  %lsmagic\nif (d > 0) { d++; }\n%lsmagic", "In [1]");
        assertEquals(3, output().split("Line magics:", -1).length - 1, output());
        assertEquals(2, runner.run("d", "In [2]").value());
    }

    @Test
    void aCellMagicAfterJavaLinesSaysItMustBeTheFirstLine() {
        runner.addCellMagic("sql", (args, body) -> "\"" + body.strip() + "\"");
        MagicError error = assertThrows(MagicError.class, () -> runner.run("int minRuns = 1;\n%%sql\nSELECT 1 AS x", "In [5]"));
        assertTrue(error.getMessage().contains("%%sql must be the first line of its cell"), error.getMessage());
        assertTrue(error.getMessage().contains("line 2"), error.getMessage());
        // nothing before it ran: the cell is refused as a whole
        assertThrows(CompileError.class, () -> runner.run("minRuns", "In [6]"));
        assertEquals("SELECT 1 AS x", runner.run("%%sql\nSELECT 1 AS x", "In [7]").value());
    }

    @Test
    void unknownMagicIsAMagicError() {
        MagicError error = assertThrows(MagicError.class, () -> runner.run("%nosuch thing", "In [1]"));
        assertEquals("MagicError", error.ename());
        assertTrue(error.getMessage().contains("%nosuch"));
    }

    @Test
    void loadRunsJshAndNotebookCode(@TempDir Path dir) throws IOException {
        Path jsh = dir.resolve("helpers.jsh");
        Files.writeString(jsh, "int triple(int x) { return 3 * x; }\n");
        Path notebook = dir.resolve("n.ipynb");
        Files.writeString(notebook, """
                {"cells": [
                  {"cell_type": "markdown", "metadata": {}, "source": ["# title"]},
                  {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null,
                   "source": ["int fromNotebook = ", "triple(5);"]}
                ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
                """);
        Path java = dir.resolve("Point.java");
        Files.writeString(java, "package geometry;\n\nrecord Point(int x, int y) {\n  int sum() { return x + y; }\n}\n");
        runner.run("%load " + java, "In [0]");
        assertEquals(7, runner.run("new Point(3, 4).sum()", "In [0]").value());
        runner.run("%load " + jsh, "In [1]");
        runner.run("%load " + notebook, "In [2]");
        assertEquals(15, runner.run("fromNotebook", "In [3]").value());
        MagicError missing = assertThrows(MagicError.class, () -> runner.run("%load " + dir.resolve("none.jsh"), "In [4]"));
        assertTrue(missing.getMessage().contains("none.jsh"));
        Path spaced = Files.createDirectories(dir.resolve("my scripts")).resolve("more helpers.jsh");
        Files.writeString(spaced, "int quadruple(int x) { return 4 * x; }\n");
        runner.run("%load \"" + spaced + "\"", "In [5]");
        assertEquals(8, runner.run("quadruple(2)", "In [6]").value());
    }

    @Test
    void jarsMagicAddsMatchingJarsToTheClassPath(@TempDir Path dir) throws IOException {
        Path jar = compileToJar(dir, "demo.Greeter", "package demo; public class Greeter { public static String hi() { return \"hi from jar\"; } }");
        runner.run("%jars " + dir + "/*.jar", "In [1]");
        assertEquals("hi from jar", runner.run("demo.Greeter.hi()", "In [2]").value());
        assertEquals(1, jarsAddedCalls.size());
        assertTrue(output().contains(jar.getFileName().toString()), output());
        assertThrows(MagicError.class, () -> runner.run("%jars " + dir + "/*.nothing", "In [3]"));
    }

    @Test
    void jarsMagicTakesPathsWithSpacesQuotedOrEscaped(@TempDir Path dir) throws IOException {
        Path libs = Files.createDirectories(dir.resolve("my libs"));
        compileToJar(libs, "demo.Greeter", "package demo; public class Greeter { public static String hi() { return \"hi\"; } }");
        runner.run("%jars \"" + libs + "/*.jar\"", "In [1]");
        runner.run("%jars " + libs.toString().replace(" ", "\\ ") + "/greeter.jar", "In [2]");
        runner.run("%classpath '" + libs.resolve("greeter.jar") + "'", "In [3]");
        assertEquals("hi", runner.run("demo.Greeter.hi()", "In [4]").value());
        assertEquals(3, jarsAddedCalls.size());
    }

    @Test
    void jarsMagicAddsNothingWhenOneOfItsPathsMatchesNothing(@TempDir Path dir) throws IOException {
        compileToJar(dir, "demo.Lonely", "package demo; public class Lonely { public static int one() { return 1; } }");
        MagicError error = assertThrows(MagicError.class,
                () -> runner.run("%jars " + dir + "/greeter.jar " + dir + "/missing/*.jar", "In [1]"));
        assertTrue(error.getMessage().contains("missing/*.jar"), error.getMessage());
        assertThrows(CompileError.class, () -> runner.run("demo.Lonely.one()", "In [2]"));
        assertEquals(0, jarsAddedCalls.size());
        MagicError unclosed = assertThrows(MagicError.class, () -> runner.run("%jars \"" + dir + "/greeter.jar", "In [3]"));
        assertTrue(unclosed.getMessage().contains("unclosed"), unclosed.getMessage());
    }

    @Test
    void timeoutMagicSetsTheEvaluationTimeout() {
        runner.run("%timeout 0.3", "In [1]");
        assertThrows(EvalTimeout.class, () -> runner.run("Thread.sleep(5000);", "In [2]"));
        runner.run("%timeout 0", "In [3]");
        assertEquals(0, session.timeoutMillis());
        assertThrows(MagicError.class, () -> runner.run("%timeout soon", "In [4]"));
    }

    private static Path compileToJar(Path dir, String className, String source) throws IOException {
        Path src = dir.resolve("src");
        Path classes = dir.resolve("classes");
        Files.createDirectories(src);
        Files.createDirectories(classes);
        Path file = src.resolve(className.substring(className.lastIndexOf('.') + 1) + ".java");
        Files.writeString(file, source);
        int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), file.toString());
        assertEquals(0, status, "test jar did not compile");
        Path jar = dir.resolve("greeter.jar");
        String entry = className.replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry(entry));
            out.write(Files.readAllBytes(classes.resolve(entry)));
            out.closeEntry();
        }
        return jar;
    }

    @Test
    void anIntegrationsCellMagicRewritesTheCellIntoJavaThatSeesNotebookVariables() {
        runner.addCellMagic("upper", (args, body) -> "(" + args + " + \"" + body.strip().toUpperCase() + "\")");
        runner.run("String prefix = \"> \";", "In [1]");
        ShellSession.Value value = runner.run("%%upper prefix\nhello %not a magic", "In [2]");
        assertEquals("> HELLO %NOT A MAGIC", value.value());
        runner.run("%lsmagic", "In [3]");
        assertTrue(output().contains("%%time %%upper"), output());
        MagicError unknown = assertThrows(MagicError.class, () -> runner.run("%%nope\nx", "In [4]"));
        assertTrue(unknown.getMessage().contains("%%time %%upper"), unknown.getMessage());
        assertThrows(MagicError.class, () -> runner.addCellMagic("time", (args, body) -> body));
    }
}
