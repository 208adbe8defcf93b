package dev.pipescope.kernel;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import com.sun.source.util.JavacTask;

/**
 * Parses (without compiling) a snippet to tell a syntax error from merely unfinished input, which
 * JShell's completeness analysis does not: it calls {@code x +* 2;} complete.
 */
final class SyntaxCheck {

    private static final JavaCompiler JAVAC = ToolProvider.getSystemJavaCompiler();

    private SyntaxCheck() {
    }

    /** True when the snippet parses as a declaration, a statement, an expression or an import. */
    static boolean parses(String snippet) {
        String body = snippet.strip();
        List<String> candidates = new ArrayList<>();
        if (body.startsWith("import ")) {
            candidates.add(body + "\nclass Snippet$ {}");
        }
        candidates.add("class Snippet$ {\n" + body + "\n}");
        candidates.add("class Snippet$ { void run$() throws Throwable {\n" + body + "\n;} }");
        String expression = body.endsWith(";") ? body.substring(0, body.length() - 1) : body;
        candidates.add("class Snippet$ { Object value$ = (\n" + expression + "\n); }");
        for (String candidate : candidates) {
            if (parseErrors(candidate) == 0) {
                return true;
            }
        }
        return false;
    }

    private static int parseErrors(String source) {
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///Snippet$.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        JavacTask task = (JavacTask) JAVAC.getTask(null, null, diagnostics, List.of("-proc:none"), null, List.of(file));
        try {
            task.parse();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return (int) diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).count();
    }
}
