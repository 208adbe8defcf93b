package dev.pipescope.kernel;

import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;

import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The JShell state behind one kernel: evaluates cells, maps snippets back to cell lines, and answers
 * completion, inspection and completeness questions.
 */
final class ShellSession implements AutoCloseable {

    /** Where snippets run. LOCAL is the kernel's design; REMOTE is JShell's default agent, kept for comparison. */
    enum Mode { LOCAL, REMOTE }

    /** What a cell evaluated to: {@code present} is false for cells that end in a statement or declaration. */
    record Value(boolean present, Object value) {
        static final Value NONE = new Value(false, null);
    }

    /** Where a snippet came from, for error reports: a label such as "In [3]" and its first line (0-based). */
    private record Origin(String label, int firstLine) {
    }

    private final Mode mode;
    private final JShell shell;
    private final SourceCodeAnalysis analysis;
    private final LiveExecutionControl live;
    private final Map<String, Origin> origins = new ConcurrentHashMap<>();
    private volatile boolean interruptRequested;

    private ShellSession(Mode mode, JShell shell, LiveExecutionControl live) {
        this.mode = mode;
        this.shell = shell;
        this.analysis = shell.sourceCodeAnalysis();
        this.live = live;
    }

    static ShellSession start(Mode mode, String classPath) {
        PrintStream out = forwardingTo(false);
        PrintStream err = forwardingTo(true);
        JShell.Builder builder = JShell.builder().out(out).err(err).in(System.in);
        LiveExecutionControl live = null;
        if (mode == Mode.LOCAL) {
            live = new LiveExecutionControl();
            builder.executionEngine(new LiveExecutionControl.Provider(live), Map.of());
        } else {
            builder.remoteVMOptions("--class-path", classPath);
        }
        ShellSession session = new ShellSession(mode, builder.build(), live);
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                session.shell.addToClasspath(entry);
            }
        }
        return session;
    }

    /** JShell's streams are fixed at build time; the kernel swaps System.out per request, so follow it. */
    private static PrintStream forwardingTo(boolean error) {
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                (error ? System.err : System.out).write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                (error ? System.err : System.out).write(b, off, len);
            }

            @Override
            public void flush() {
                (error ? System.err : System.out).flush();
            }
        }, true);
    }

    Mode mode() {
        return mode;
    }

    void setTimeoutMillis(long millis) {
        if (live != null) {
            live.setTimeoutMillis(millis);
        }
    }

    long timeoutMillis() {
        return live == null ? 0 : live.timeoutMillis();
    }

    /** The loader that defines snippet classes: integrations found through it see jars added by %jars. */
    ClassLoader snippetLoader() {
        return live != null ? live.snippetLoader() : getClass().getClassLoader();
    }

    void addToClasspath(String path) {
        shell.addToClasspath(path);
    }

    /** Names of the variables a notebook has defined so far. */
    List<String> variableNames() {
        return shell.variables().filter(v -> shell.status(v).isActive()).map(jdk.jshell.VarSnippet::name)
                .collect(Collectors.toList());
    }

    /** Called from the control thread while a cell runs. */
    void interrupt() {
        interruptRequested = true;
        if (live != null) {
            live.stop();
        } else {
            shell.stop();
        }
    }

    /**
     * Evaluates a piece of a cell.
     *
     * @param code       the Java source
     * @param label      how error reports name the source, e.g. "In [4]"
     * @param lineOffset the 0-based line of {@code code}'s first line within what the user sees
     */
    Value eval(String code, String label, int lineOffset) {
        interruptRequested = false;
        if (live != null) {
            live.resetStop();
            live.forgetValues();
        }
        CellSplitter.Split split = CellSplitter.split(analysis, code);
        Value last = Value.NONE;
        for (SourceChunk chunk : split.chunks()) {
            int chunkLine = lineOffset + CellSplitter.lineOf(code, chunk.startOffset());
            List<SnippetEvent> events = shell.eval(chunk.source());
            try {
                last = outcome(events, chunk, label, chunkLine);
            } finally {
                dropTemporaries(events);
            }
        }
        throwIfStopped();
        if (!split.complete()) {
            int line = lineOffset + CellSplitter.lineOf(code, split.tailOffset()) + 1;
            String message = "incomplete input: the code from line " + line + " on never ends (a missing ';', ')' or '}'?)";
            throw new CompileError(message, List.of(label + ", line " + line + ": " + firstLine(split.incompleteTail()),
                    "CompileError: " + message));
        }
        return last;
    }

    /** The value of one evaluated snippet, or the error it ended with. */
    private Value outcome(List<SnippetEvent> events, SourceChunk chunk, String label, int chunkLine) {
        Value value = Value.NONE;
        for (SnippetEvent event : events) {
            if (event.causeSnippet() != null) {
                continue;
            }
            Snippet snippet = event.snippet();
            origins.put(snippet.id(), new Origin(label, chunkLine));
            throwIfStopped();
            if (event.status() == Snippet.Status.REJECTED) {
                throw compileError(snippet, chunk, label, chunkLine);
            }
            if (event.exception() != null) {
                throw userError(event.exception());
            }
            if (event.status() == Snippet.Status.RECOVERABLE_DEFINED
                    || event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                noteUnresolved(snippet);
            }
            if (yieldsValue(snippet)) {
                value = valueOf(event);
            }
        }
        return value;
    }

    /**
     * Forgets the $1, $2... variables JShell makes for expression results. Every live snippet is
     * imported into the wrapper of every later one, so keeping them made each cell compile slower
     * (measured: ~12 ms per trivial cell at first, ~50 ms after 300 cells). The kernel has already
     * taken the value; a notebook keeps a result by assigning it.
     */
    private void dropTemporaries(List<SnippetEvent> events) {
        for (SnippetEvent event : events) {
            Snippet snippet = event.snippet();
            if (event.causeSnippet() == null && snippet.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND
                    && shell.status(snippet).isActive()) {
                shell.drop(snippet);
            }
        }
    }

    private void throwIfStopped() {
        LiveExecutionControl.Stop stop = live != null ? live.lastStop() : LiveExecutionControl.Stop.NONE;
        if (stop == LiveExecutionControl.Stop.TIMED_OUT) {
            throw new EvalTimeout("the cell ran longer than the evaluation timeout of " + live.timeoutMillis() + " ms and was stopped");
        }
        if (stop == LiveExecutionControl.Stop.INTERRUPTED || interruptRequested) {
            throw new Interrupted("the cell was interrupted; variables defined before the interrupt are kept");
        }
    }

    private static boolean yieldsValue(Snippet snippet) {
        return switch (snippet.subKind()) {
            case TEMP_VAR_EXPRESSION_SUBKIND, VAR_VALUE_SUBKIND, ASSIGNMENT_SUBKIND -> true;
            default -> false;
        };
    }

    private Value valueOf(SnippetEvent event) {
        String raw = event.value();
        if (live != null && LiveExecutionControl.isValueKey(raw)) {
            return new Value(true, live.takeValue(raw));
        }
        return new Value(true, raw);
    }

    private void noteUnresolved(Snippet snippet) {
        if (snippet instanceof jdk.jshell.DeclarationSnippet declaration) {
            String missing = shell.unresolvedDependencies(declaration).collect(Collectors.joining(", "));
            System.err.println("Note: " + declaration.name() + " is defined but cannot be used until "
                    + missing + " is declared");
        }
    }

    private CompileError compileError(Snippet snippet, SourceChunk chunk, String label, int chunkLine) {
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

    private UserCodeError userError(JShellException exception) {
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

    static String simpleName(String className) {
        if (className == null) {
            return "Exception";
        }
        String simple = className.substring(className.lastIndexOf('.') + 1);
        return simple.substring(simple.lastIndexOf('$') + 1);
    }

    private static String firstLine(String text) {
        return text.strip().lines().findFirst().orElse("");
    }

    // ---- completion, inspection, completeness ----

    /** The unfinished snippet that ends at {@code cursor}, and where it starts in {@code code}. */
    private record Tail(String text, int start) {
    }

    private Tail tailAt(String code, int cursor) {
        String prefix = code.substring(0, Math.min(cursor, code.length()));
        CellSplitter.Split split = CellSplitter.split(analysis, prefix);
        if (!split.complete()) {
            return new Tail(split.incompleteTail(), split.tailOffset());
        }
        if (split.chunks().isEmpty()) {
            return new Tail(prefix, 0);
        }
        int start = split.chunks().get(split.chunks().size() - 1).startOffset();
        return new Tail(prefix.substring(start), start);
    }

    ReplacementOptions complete(String code, int cursor) {
        Tail tail = tailAt(code, cursor);
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions =
                analysis.completionSuggestions(tail.text(), tail.text().length(), anchor);
        Set<String> preferred = new LinkedHashSet<>();
        Set<String> others = new LinkedHashSet<>();
        for (SourceCodeAnalysis.Suggestion s : suggestions) {
            (s.matchesType() ? preferred : others).add(s.continuation());
        }
        preferred.addAll(others);
        return new ReplacementOptions(new ArrayList<>(preferred), tail.start() + anchor[0], cursor);
    }

    /** Signature and Javadoc of what the cursor is on, or null. */
    String inspect(String code, int cursor, boolean detail) {
        int end = Math.min(cursor, code.length());
        while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) {
            end++;
        }
        Tail tail = tailAt(code, end);
        String text = tail.text();
        List<SourceCodeAnalysis.Documentation> docs = analysis.documentation(text, text.length(), true);
        if (docs.isEmpty() && !text.isEmpty() && Character.isJavaIdentifierPart(text.charAt(text.length() - 1))) {
            docs = analysis.documentation(text + "(", text.length() + 1, true);
        }
        StringBuilder out = new StringBuilder();
        for (SourceCodeAnalysis.Documentation doc : docs) {
            if (out.length() > 0) {
                out.append("\n\n");
            }
            out.append(doc.signature());
            String javadoc = doc.javadoc();
            if (javadoc != null && !javadoc.isBlank()) {
                out.append('\n').append(detail ? javadoc.strip() : summary(javadoc));
            }
        }
        String variable = identifierBefore(code, end);
        if (out.length() == 0 && variable != null) {
            shell.variables().filter(v -> v.name().equals(variable) && shell.status(v).isActive())
                    .findFirst()
                    .ifPresent(v -> out.append(v.typeName()).append(' ').append(v.name()));
        }
        return out.length() == 0 ? null : out.toString();
    }

    private static String identifierBefore(String code, int end) {
        int start = end;
        while (start > 0 && Character.isJavaIdentifierPart(code.charAt(start - 1))) {
            start--;
        }
        return start == end ? null : code.substring(start, end);
    }

    /** The first paragraph of a Javadoc comment as plain text, which is what a tooltip needs. */
    static String summary(String javadoc) {
        String text = javadoc.strip();
        for (String end : new String[] {"\n\n", "<p>", "<P>", "\n@"}) {
            int at = text.indexOf(end);
            if (at > 0) {
                text = text.substring(0, at);
            }
        }
        text = text.replaceAll("\\{@(?:code|link|linkplain|literal)\\s+([^}]*)}", "$1")
                .replaceAll("<[^>]+>", "")
                .replaceAll("\\s+", " ");
        return text.strip();
    }

    /** Jupyter's is_complete: "complete", "incomplete" (with an indent), or "invalid" for a syntax error. */
    String isComplete(String code) {
        CellSplitter.Split split = CellSplitter.split(analysis, code);
        for (SourceChunk chunk : split.chunks()) {
            if (!SyntaxCheck.parses(chunk.source())) {
                return "invalid";
            }
        }
        if (!split.complete()) {
            String tail = split.incompleteTail();
            long open = tail.chars().filter(c -> c == '{').count() - tail.chars().filter(c -> c == '}').count();
            return " ".repeat((int) Math.max(0, open) * 4);
        }
        return "complete";
    }

    /** Compiles and runs a throwaway snippet so the first user cell does not pay for javac's start. */
    void warmUpExecution() {
        for (SnippetEvent event : shell.eval("String.valueOf(java.util.List.of(1, 2).size());")) {
            shell.drop(event.snippet());
        }
    }

    /** Exercises completion and the syntax check, so the first Tab or is_complete answers quickly. */
    void warmUpAnalysis() {
        analysis.completionSuggestions("String.val", 10, new int[1]);
        SyntaxCheck.parses("1 + 1");
    }

    @Override
    public void close() {
        shell.close();
    }
}
