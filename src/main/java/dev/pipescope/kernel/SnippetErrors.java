package dev.pipescope.kernel;

import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.UnresolvedReferenceException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Turns what JShell reports (diagnostics of a rejected snippet, an exception a snippet threw) into the
 * errors a notebook shows, naming cells and cell lines instead of JShell's snippets and wrapper classes.
 */
final class SnippetErrors {

    /** Where a snippet came from: a label such as "In [3]" and its first line (0-based). */
    private record Origin(String label, int firstLine) {
    }

    private final JShell shell;
    private final Map<String, Origin> origins = new ConcurrentHashMap<>();

    SnippetErrors(JShell shell) {
        this.shell = shell;
    }

    /** Remembers where {@code snippet} came from, so stack frames in it can name the cell line. */
    void recordOrigin(Snippet snippet, String label, int firstLine) {
        origins.put(snippet.id(), new Origin(label, firstLine));
    }

    /**
     * The compile error of a rejected snippet: each diagnostic with its cell line and a caret under the
     * column, e.g. {@code In [4], line 3: int b = a +} / {@code ^} / {@code cannot find symbol}.
     */
    CompileError compileError(Snippet snippet, SourceChunk chunk, String label, int chunkLine) {
        List<Diag> errors = shell.diagnostics(snippet).filter(Diag::isError).collect(Collectors.toList());
        List<String> traceback = new ArrayList<>();
        String first = null;
        String source = chunk.source();
        for (Diag diag : errors) {
            long pos = Math.max(0, diag.getStartPosition());
            int lineInChunk = CellSplitter.lineOf(source, (int) pos);
            int line = chunkLine + lineInChunk + 1;
            int lineStart = source.lastIndexOf('\n', (int) pos - 1) + 1;
            int lineEnd = source.indexOf('\n', lineStart);
            String text = source.substring(lineStart, lineEnd < 0 ? source.length() : lineEnd);
            // JShell's wrapper classes have no name; "location: class " only confuses
            String message = diag.getMessage(Locale.ROOT).replaceAll("\\n\\s*location: class\\s*(?=\\n|$)", "");
            String where = label + ", line " + line + ": ";
            traceback.add(where + text);
            traceback.add(" ".repeat(where.length() + (int) pos - lineStart) + "^");
            traceback.add(message);
            if (first == null) {
                first = message.lines().findFirst().orElse(message) + " (line " + line + ")";
            }
        }
        if (first == null) {
            first = "the snippet was rejected (line " + (chunkLine + 1) + ")";
            traceback.add(first);
        }
        return new CompileError(first, traceback);
    }

    /** The error for an exception thrown by the notebook's code, named for the exception, frames trimmed. */
    UserCodeError userError(JShellException exception) {
        List<String> traceback = new ArrayList<>();
        String name = describe(exception, traceback, "");
        String message = exception.getMessage() == null ? "" : exception.getMessage();
        return new UserCodeError(name, message, traceback);
    }

    private String describe(Throwable exception, List<String> traceback, String prefix) {
        String name;
        if (exception instanceof EvalException eval) {
            name = simpleName(eval.getExceptionClassName());
        } else if (exception instanceof UnresolvedReferenceException unresolved) {
            name = "UnresolvedReference";
            String missing = shell.unresolvedDependencies(unresolved.getSnippet()).collect(Collectors.joining(", "));
            traceback.add(prefix + name + ": " + unresolved.getSnippet().name() + " cannot run until " + missing + " is declared");
            return name;
        } else {
            name = exception.getClass().getSimpleName();
        }
        String message = exception.getMessage();
        traceback.add(prefix + name + (message == null ? "" : ": " + message));
        traceback.addAll(frames(exception.getStackTrace()));
        if (exception.getCause() != null && exception.getCause() != exception) {
            describe(exception.getCause(), traceback, "Caused by: ");
        }
        return name;
    }

    /** Library frames above the user's code are shortened; the user's frames name cell and line. */
    private List<String> frames(StackTraceElement[] stack) {
        List<String> lines = new ArrayList<>();
        int firstUser = -1;
        for (int i = 0; i < stack.length; i++) {
            if (origin(stack[i]) != null) {
                firstUser = i;
                break;
            }
        }
        int libraryShown = firstUser < 0 ? Math.min(stack.length, 6) : Math.min(firstUser, 3);
        for (int i = 0; i < libraryShown; i++) {
            lines.add("    at " + stack[i]);
        }
        int hidden = (firstUser < 0 ? stack.length : firstUser) - libraryShown;
        if (hidden > 0) {
            lines.add("    ... " + hidden + " more library frames");
        }
        if (firstUser >= 0) {
            for (int i = firstUser; i < stack.length; i++) {
                Origin origin = origin(stack[i]);
                if (origin == null) {
                    continue;
                }
                int line = origin.firstLine() + Math.max(1, stack[i].getLineNumber());
                String method = stack[i].getMethodName();
                lines.add("    at " + (method.isEmpty() ? "" : method + ", ") + origin.label() + ", line " + line);
            }
        }
        return lines;
    }

    private Origin origin(StackTraceElement frame) {
        String file = frame.getFileName();
        if (file == null || !file.startsWith("#")) {
            return null;
        }
        return origins.get(file.substring(1));
    }

    /** {@code java.util.Map$Entry} -> {@code Entry}; null (unknown) -> {@code Exception}. */
    static String simpleName(String className) {
        if (className == null) {
            return "Exception";
        }
        String simple = className.substring(className.lastIndexOf('.') + 1);
        return simple.substring(simple.lastIndexOf('$') + 1);
    }
}
