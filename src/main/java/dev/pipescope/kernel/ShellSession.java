package dev.pipescope.kernel;

import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.VarSnippet;

import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The JShell behind one kernel and the engine that runs its snippets: evaluates Java a piece of a cell
 * at a time and returns the piece's result, or throws the {@link CellError} it ended with. Magics are
 * {@link CellRunner}'s, editor questions {@link CodeAssist}'s, error wording {@link SnippetErrors}'.
 */
final class ShellSession implements AutoCloseable {

    /** Where snippets run. LOCAL is the kernel's design; REMOTE is JShell's default agent, kept for comparison. */
    enum Mode { LOCAL, REMOTE }

    /** What a cell evaluated to: {@code present} is false unless it ends in a bare expression (no assignment, no ';'). */
    record Value(boolean present, Object value) {
        static final Value NONE = new Value(false, null);
    }

    private final Mode mode;
    private final JShell shell;
    private final SourceCodeAnalysis analysis;
    private final LiveExecutionControl live;
    private final SnippetErrors errors;
    /** Null in REMOTE mode, whose agent redefines classes in place and so keeps values itself. */
    private final VariableKeeper keeper;
    private volatile boolean interruptRequested;
    /** Between beginCell and endCell an interrupt holds for the whole cell, whenever it arrives. */
    private volatile boolean inCell;

    private ShellSession(Mode mode, JShell shell, LiveExecutionControl live) {
        this.mode = mode;
        this.shell = shell;
        this.analysis = shell.sourceCodeAnalysis();
        this.live = live;
        this.errors = new SnippetErrors(shell);
        this.keeper = live != null ? new VariableKeeper(shell, live) : null;
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
        return shell.variables().filter(v -> shell.status(v).isActive()).map(VarSnippet::name)
                .collect(Collectors.toList());
    }

    /** The declared type of the live variable {@code name}, e.g. {@code TreeSet<String>}, if there is one. */
    Optional<String> variableType(String name) {
        return shell.variables().filter(v -> v.name().equals(name) && shell.status(v).isActive())
                .findFirst().map(VarSnippet::typeName);
    }

    /** JShell's source analysis (completion, documentation, snippet boundaries) for this session. */
    SourceCodeAnalysis analysis() {
        return analysis;
    }

    /**
     * Starts a cell: from here until {@link #endCell()} an interrupt stops the cell whenever it arrives,
     * also before its first snippet runs or between its parts (it used to be forgotten when the next
     * part started, so an early interrupt let a loop run on for good).
     */
    void beginCell() {
        interruptRequested = false;
        if (live != null) {
            live.resetStop();
        }
        inCell = true;
    }

    void endCell() {
        inCell = false;
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
        if (!inCell) {
            interruptRequested = false;
            if (live != null) {
                live.resetStop();
            }
        }
        if (live != null) {
            live.forgetValues();
        }
        CellSplitter.Split split = CellSplitter.split(analysis, code);
        Value last = Value.NONE;
        List<DeclarationSnippet> waiting = new ArrayList<>();
        for (SourceChunk chunk : split.chunks()) {
            if (interruptRequested) {
                break; // throwIfStopped reports it; nothing after the interrupt runs
            }
            int chunkLine = lineOffset + CellSplitter.lineOf(code, chunk.startOffset());
            List<SnippetEvent> events = shell.eval(chunk.source());
            try {
                last = outcome(events, chunk, label, chunkLine, waiting);
            } finally {
                dropTemporaries(events);
            }
        }
        throwIfStopped();
        noteUnusable(waiting);
        if (!split.complete()) {
            int line = lineOffset + CellSplitter.lineOf(code, split.tailOffset()) + 1;
            String message = "incomplete input: the code from line " + line + " on never ends (a missing ';', ')' or '}'?)";
            throw new CompileError(message, List.of(label + ", line " + line + ": " + firstLine(split.incompleteTail()),
                    "CompileError: " + message));
        }
        return last;
    }

    /** The value of one evaluated snippet, or the error it ended with. */
    private Value outcome(List<SnippetEvent> events, SourceChunk chunk, String label, int chunkLine,
                          List<DeclarationSnippet> waiting) {
        Value value = Value.NONE;
        for (SnippetEvent event : events) {
            if (event.causeSnippet() != null) {
                if (keeper != null) {
                    keeper.recompiled(event);
                }
                continue;
            }
            Snippet snippet = event.snippet();
            errors.recordOrigin(snippet, label, chunkLine);
            throwIfStopped();
            if (event.status() == Snippet.Status.REJECTED) {
                throw errors.compileError(snippet, chunk, label, chunkLine);
            }
            if (event.exception() != null) {
                throw errors.userError(event.exception());
            }
            if (keeper != null && snippet instanceof VarSnippet variable) {
                keeper.declared(variable);
            }
            if (event.status() == Snippet.Status.RECOVERABLE_DEFINED || event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                if (snippet instanceof DeclarationSnippet declaration) {
                    waiting.add(declaration); // a later snippet of the cell may still declare what it needs
                }
            }
            if (showsValue(snippet, chunk)) {
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

    /**
     * As in IPython: a bare expression shows its value; an assignment, or anything the user ended with
     * a ';', shows nothing.
     */
    private static boolean showsValue(Snippet snippet, SourceChunk chunk) {
        return switch (snippet.subKind()) {
            case VAR_VALUE_SUBKIND -> !chunk.endsWithSemicolon();
            case TEMP_VAR_EXPRESSION_SUBKIND -> !chunk.endsWithSemicolon() && !JavaText.isAssignment(chunk.original());
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

    /** Declarations of the cell that still cannot be used now that all of it ran, and why. */
    private void noteUnusable(List<DeclarationSnippet> declarations) {
        for (DeclarationSnippet declaration : declarations) {
            Snippet.Status status = shell.status(declaration);
            if (status != Snippet.Status.RECOVERABLE_DEFINED && status != Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                continue;
            }
            String missing = shell.unresolvedDependencies(declaration).collect(Collectors.joining(", "));
            if (!missing.isEmpty()) {
                System.err.println("Note: " + declaration.name() + " is defined but cannot be used until " + missing + " is declared");
            } else {
                String why = shell.diagnostics(declaration).filter(Diag::isError).findFirst()
                        .map(d -> d.getMessage(Locale.ROOT).lines().findFirst().orElse("")).orElse("JShell gives no reason");
                System.err.println("Note: " + declaration.name() + " is defined but cannot be used yet: " + why);
            }
        }
    }

    private static String firstLine(String text) {
        return text.strip().lines().findFirst().orElse("");
    }

    /**
     * Imports on-demand targets ({@code java.util.*}, {@code static a.B.*}) in one snippet, headed by
     * {@link KernelImports}: each snippet costs JShell a compilation (~20 ms of CPU), and the kernel starts with
     * about fifteen imports. Single-type imports do not belong here: a notebook's own import of another class of
     * the same simple name must replace them, which JShell does only for a snippet of its own.
     *
     * @param targets written as after {@code import}, each ending in {@code .*}
     * @return false when JShell rejects the snippet (a package that does not exist): then none of them is imported
     */
    boolean importOnDemand(List<String> targets) {
        StringBuilder source = new StringBuilder("import static ").append(KernelImports.class.getName()).append(".*;");
        for (String target : targets) {
            if (!target.endsWith(".*")) {
                throw new IllegalArgumentException("not an on-demand import: " + target);
            }
            source.append(" import ").append(target).append(';');
        }
        boolean accepted = true;
        for (SnippetEvent event : shell.eval(source.toString())) {
            if (event.causeSnippet() == null && event.status() == Snippet.Status.REJECTED) {
                accepted = false;
            }
        }
        return accepted;
    }

    /** Compiles and runs a throwaway snippet so the first user cell does not pay for javac's start. */
    void warmUpExecution() {
        for (SnippetEvent event : shell.eval("String.valueOf(java.util.List.of(1, 2).size());")) {
            shell.drop(event.snippet());
        }
    }

    @Override
    public void close() {
        shell.close();
    }
}
