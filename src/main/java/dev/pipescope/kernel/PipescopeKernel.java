package dev.pipescope.kernel;

import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.kernel.util.TextColor;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteInput;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;
import org.dflib.jjava.jupyter.messages.request.KernelInfoRequest;
import org.dflib.jjava.jupyter.messages.request.ShutdownRequest;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The Pipescope Jupyter kernel: Java evaluated by JShell inside this JVM.
 *
 * <p>Usage: {@code java -cp pipescope.jar dev.pipescope.kernel.PipescopeKernel <connection-file>}, or
 * {@code --print-startup} to print the integrations' imports and startup code as a JShell script.
 *
 * <p>Settings (environment): {@code PIPESCOPE_EVAL_TIMEOUT} seconds per cell (0 or unset: none);
 * {@code PIPESCOPE_KERNEL_EXECUTION=remote} runs snippets in JShell's default remote agent instead
 * (for comparison only: values come back as text and display functions are unavailable).
 */
public final class PipescopeKernel extends BaseKernel {

    /** Imports of JShell's own default startup, which the JShell API does not apply by itself. */
    static final List<String> DEFAULT_IMPORTS = List.of(
            "java.io.*", "java.math.*", "java.net.*", "java.nio.file.*", "java.util.*",
            "java.util.concurrent.*", "java.util.function.*", "java.util.regex.*", "java.util.stream.*");
    static final List<String> KERNEL_IMPORTS = List.of(
            "static dev.pipescope.kernel.Display.*", "dev.pipescope.kernel.MimeBundle");

    private static volatile PipescopeKernel running;

    private final KernelIO kernelIO;
    private final SessionHistory history;
    private final PrintStream cellOut;
    private final PrintStream cellErr;
    private final Renderers renderers;
    private final Integrations integrations;
    private final ShellSession.Mode mode;
    private final long timeoutMillis;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch shutdown = new CountDownLatch(1);
    private final List<Runnable> shutdownHooks = new ArrayList<>();
    private final Map<String, Object> sharedVariables = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Set<String> imported = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile CellRunner runner;
    /** Reads the requests queued behind a cell that failed with stop_on_error (the shell channel's). */
    private volatile Runnable captureQueuedRequests = () -> { };
    private volatile RuntimeException startupFailure;
    private final StringBuilder startupReport = new StringBuilder();

    PipescopeKernel(KernelIO io, Renderer renderer, ShellSession.Mode mode, long timeoutMillis) {
        this(io, renderer, mode, timeoutMillis, new SessionHistory());
    }

    private PipescopeKernel(KernelIO io, Renderer renderer, ShellSession.Mode mode, long timeoutMillis, SessionHistory history) {
        super("pipescope", version(), languageInfo(),
                List.of(new HelpLink("Java 17 API", "https://docs.oracle.com/en/java/javase/17/docs/api/")),
                history, io, new CommManager(), renderer, null, null, false, errorStyler());
        this.kernelIO = io;
        this.history = history;
        this.cellOut = new PrintStream(new LineBufferedOutput(io.out), false, java.nio.charset.StandardCharsets.UTF_8);
        this.cellErr = new PrintStream(new LineBufferedOutput(io.err), false, java.nio.charset.StandardCharsets.UTF_8);
        this.renderers = new Renderers(renderer);
        this.integrations = new Integrations(renderers);
        this.mode = mode;
        this.timeoutMillis = timeoutMillis;
    }

    private static String version() {
        String v = PipescopeKernel.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private static LanguageInfo languageInfo() {
        return new LanguageInfo.Builder("java")
                .version(Runtime.version().toString())
                .mimetype("text/x-java-source")
                .fileExtension(".jshell")
                .pygments("java")
                .codemirror("java")
                .build();
    }

    private static StringStyler errorStyler() {
        return new StringStyler.Builder()
                .addPrimaryStyle(TextColor.BOLD_RESET_FG)
                .addSecondaryStyle(TextColor.BOLD_RED_FG)
                .addHighlightStyle(TextColor.BOLD_RESET_FG)
                .build();
    }

    /** The kernel serving the current notebook; display functions go through it. */
    static PipescopeKernel running() {
        PipescopeKernel kernel = running;
        if (kernel == null) {
            throw new IllegalStateException("display functions need the Pipescope Jupyter kernel; none is running in this JVM");
        }
        return kernel;
    }

    DisplayData render(Object value) {
        return renderers.render(value);
    }

    // ---- start-up ----

    /** Creates JShell, installs imports and integrations, and warms the compiler. */
    void prepare() {
        // finding integrations reads the jar; do it while JShell starts
        java.util.concurrent.CompletableFuture<List<Integrations.Contribution>> discovered =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> discover(getClass().getClassLoader()));
        try {
            ShellSession session = ShellSession.start(mode, System.getProperty("java.class.path"));
            session.setTimeoutMillis(timeoutMillis);
            CellRunner cellRunner = new CellRunner(session, this::installIntegrations);
            List<String> imports = new ArrayList<>(DEFAULT_IMPORTS);
            if (mode == ShellSession.Mode.LOCAL) {
                imports.addAll(KERNEL_IMPORTS);
            }
            for (String target : imports) {
                session.eval("import " + target + ";", "kernel imports", 0);
                imported.add(target);
            }
            runner = cellRunner;
            apply(discovered.join());
            session.warmUpExecution();
        } catch (RuntimeException e) {
            startupFailure = e;
        } finally {
            ready.countDown();
        }
        if (startupFailure == null) {
            // after "ready", so the first cell does not wait for it; the lock keeps requests off JShell meanwhile
            synchronized (this) {
                runner.assist().warmUp();
            }
        }
    }

    private void installIntegrations(ClassLoader loader) {
        apply(discover(loader));
    }

    private List<Integrations.Contribution> discover(ClassLoader loader) {
        try {
            return integrations.discover(loader);
        } catch (ServiceConfigurationError | RuntimeException e) {
            report("A notebook integration could not be loaded: " + e);
            return List.of();
        }
    }

    private void apply(List<Integrations.Contribution> found) {
        CellRunner cellRunner = runner;
        for (Integrations.Contribution contribution : found) {
            String label = "integration " + contribution.name;
            for (String target : contribution.imports) {
                // each import is a JShell snippet of its own (~20 ms): skip those already in place
                if (imported.add(target)) {
                    tryEval(cellRunner, "import " + target + ";", label);
                }
            }
            for (Integrations.Variable<?> variable : contribution.variables) {
                shareVariable(cellRunner, variable, label);
            }
            contribution.cellMagics.forEach(cellRunner::addCellMagic);
            for (String code : contribution.startupCode) {
                tryEval(cellRunner, code, label);
            }
            synchronized (shutdownHooks) {
                shutdownHooks.addAll(contribution.shutdownHooks);
            }
        }
    }

    private void shareVariable(CellRunner cellRunner, Integrations.Variable<?> variable, String label) {
        if (mode != ShellSession.Mode.LOCAL) {
            // a remote agent cannot hold the kernel's objects: it builds its own
            tryEval(cellRunner, variable.standaloneDeclaration(), label);
            return;
        }
        Object value;
        try {
            value = variable.value().get();
        } catch (RuntimeException e) {
            report(label + " could not make the variable '" + variable.name() + "': " + e);
            return;
        }
        if (value == null) {
            report(label + " made no value for the variable '" + variable.name() + "'");
            return;
        }
        sharedVariables.put(variable.name(), value);
        tryEval(cellRunner, variable.kernelDeclaration(), label);
    }

    /** A value an integration shared with notebooks (see {@link KernelVariables}). */
    Object sharedVariable(String name) {
        Object value = sharedVariables.get(name);
        if (value == null) {
            throw new IllegalStateException("no shared variable '" + name + "' in this kernel (shared: "
                    + new java.util.TreeSet<>(sharedVariables.keySet()) + ")");
        }
        return value;
    }

    private void tryEval(CellRunner cellRunner, String code, String label) {
        try {
            cellRunner.session().eval(code, label, 0);
        } catch (CellError e) {
            report(label + " failed: " + e.ename() + ": " + e.getMessage());
        }
    }

    /** Start-up problems are printed under the first cell that runs, where the user sees them. */
    private void report(String problem) {
        synchronized (startupReport) {
            startupReport.append(problem).append('\n');
        }
    }

    private CellRunner awaitRunner() {
        try {
            ready.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the kernel was starting", e);
        }
        if (startupFailure != null) {
            throw new IllegalStateException("the kernel failed to start JShell: " + startupFailure, startupFailure);
        }
        return runner;
    }

    // ---- requests ----

    @Override
    protected synchronized void handleExecuteRequest(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        commManager.setMessageContext(message);
        ExecuteRequest request = message.getContent();
        int count = request.shouldStoreHistory() ? executionCount.getAndIncrement() : executionCount.get();
        if (request.shouldStoreHistory()) {
            history.record(count, request.getCode());
        }
        env.setBusyDeferIdle();
        env.publish(new PublishExecuteInput(request.getCode(), count));
        replaceOutputStreams(env);
        kernelIO.attach(env, request.isStdinEnabled());
        env.defer(() -> kernelIO.detach(env));
        try {
            CellRunner cellRunner = awaitRunner();
            printStartupReport();
            ShellSession.Value value = cellRunner.run(request.getCode(), "In [" + count + "]");
            flushCellStreams();
            if (value.present() && !request.isSilent()) {
                env.publish(new PublishExecuteResult(count, render(value.value())));
            }
            env.defer().reply(new ExecuteReply(count, Map.of()));
        } catch (CellError e) {
            if (request.shouldStopOnError()) {
                captureQueuedRequests.run(); // before the error reply: see BlockingShellChannel
            }
            replyError(env, count, e.ename(), e.getMessage(), e.traceback());
        } catch (RuntimeException e) {
            if (request.shouldStopOnError()) {
                captureQueuedRequests.run(); // before the error reply: see BlockingShellChannel
            }
            List<String> traceback = new ArrayList<>();
            traceback.add(e.getClass().getSimpleName() + ": " + e.getMessage());
            for (StackTraceElement frame : e.getStackTrace()) {
                traceback.add("    at " + frame);
            }
            replyError(env, count, e.getClass().getSimpleName(), String.valueOf(e.getMessage()), traceback);
        }
    }

    @Override
    protected void replaceOutputStreams(ShellReplyEnvironment env) {
        PrintStream previousOut = System.out;
        PrintStream previousErr = System.err;
        java.io.InputStream previousIn = System.in;
        System.setOut(cellOut);
        System.setErr(cellErr);
        System.setIn(kernelIO.in);
        env.defer(() -> {
            flushCellStreams();
            System.setOut(previousOut);
            System.setErr(previousErr);
            System.setIn(previousIn);
        });
    }

    private void flushCellStreams() {
        cellOut.flush();
        cellErr.flush();
        kernelIO.out.flush();
        kernelIO.err.flush();
    }

    /** Where the kernel's connection reads the requests queued behind a failed cell. */
    void captureQueuedRequestsWith(Runnable capture) {
        this.captureQueuedRequests = capture;
    }

    private void printStartupReport() {
        synchronized (startupReport) {
            if (startupReport.length() > 0) {
                System.err.print(startupReport);
                startupReport.setLength(0);
            }
        }
    }

    private void replyError(ShellReplyEnvironment env, int count, String name, String message, List<String> traceback) {
        flushCellStreams();
        List<String> styled = new ArrayList<>(traceback.size());
        for (int i = 0; i < traceback.size(); i++) {
            styled.add(i == 0 ? errorStyler.secondary(traceback.get(i)) : traceback.get(i));
        }
        String evalue = message == null ? "" : message;
        env.publish(new PublishError(name, evalue, styled));
        ErrorReply reply = new ErrorReply(name, evalue, styled);
        reply.setExecutionCount(count);
        env.defer().replyError(ExecuteReply.MESSAGE_TYPE.error(), reply);
    }

    @Override
    public Object evalRaw(String source) {
        ShellSession.Value value = awaitRunner().run(source, "eval");
        return value.present() ? value.value() : null;
    }

    @Override
    public synchronized DisplayData inspect(String code, int at, boolean extraDetail) {
        String text = awaitRunner().assist().inspect(code, at, extraDetail);
        return text == null ? null : new DisplayData(text);
    }

    @Override
    public synchronized ReplacementOptions complete(String code, int at) {
        return awaitRunner().assist().complete(code, at);
    }

    @Override
    public synchronized String isComplete(String code) {
        return awaitRunner().assist().isComplete(code);
    }

    @Override
    public void interrupt() {
        CellRunner cellRunner = runner;
        if (cellRunner != null) {
            cellRunner.session().interrupt();
        }
    }

    @Override
    protected void handleKernelInfoRequest(ShellReplyEnvironment env, Message<KernelInfoRequest> message) {
        env.setBusyDeferIdle();
        env.reply(new KernelInfoOkReply(Header.PROTOCOL_VERISON, name, version, getLanguageInfo(), getBanner(), getHelpLinks()));
    }

    @Override
    protected void handleHistoryRequest(ShellReplyEnvironment env, Message<HistoryRequest> message) {
        HistoryRequest request = message.getContent();
        env.setBusyDeferIdle();
        java.util.Set<HistoryManager.ResultFlag> flags = java.util.EnumSet.noneOf(HistoryManager.ResultFlag.class);
        if (request.includeOutput()) {
            flags.add(HistoryManager.ResultFlag.INCLUDE_OUTPUT);
        }
        List<HistoryEntry> entries = switch (request.getAccessType()) {
            case TAIL -> history.lookupTail(((HistoryRequest.Tail) request).getMaxReturnLength(), flags);
            case RANGE -> {
                HistoryRequest.Range range = (HistoryRequest.Range) request;
                yield history.lookupRange(range.getSessionIndex(), range.getStart(), range.getStop(), flags);
            }
            case SEARCH -> {
                HistoryRequest.Search search = (HistoryRequest.Search) request;
                if (search.filterUnique()) {
                    flags.add(HistoryManager.ResultFlag.UNIQUE);
                }
                yield history.search(search.getPattern(), search.getMaxReturnLength(), flags);
            }
        };
        env.reply(new HistoryOkReply(entries));
    }

    @Override
    protected void handleShutdownRequest(ShellReplyEnvironment env, Message<ShutdownRequest> message) {
        boolean restart = message.getContent().isRestart();
        env.setBusyDeferIdle();
        env.defer().reply(new ShutdownOkReply(restart));
        onShutdown(restart);
        env.resolveDeferrals();
        env.markForShutdown();
        shutdown.countDown();
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        interrupt();
        List<Runnable> hooks;
        synchronized (shutdownHooks) {
            hooks = new ArrayList<>(shutdownHooks);
        }
        for (Runnable hook : hooks) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                System.err.println("An integration's shutdown hook failed: " + e);
            }
        }
        super.onShutdown(isRestarting);
        running = null;
    }

    @Override
    public void onStartup() {
        super.onStartup();
        running = this;
    }

    // ---- process ----

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--print-startup")) {
            printStartupScript(System.out);
            return;
        }
        if (args.length == 1 && args[0].equals("--train")) {
            train();
            return;
        }
        if (args.length != 1) {
            System.err.println("usage: PipescopeKernel <connection-file> | --print-startup");
            System.exit(2);
        }
        Path connectionFile = Path.of(args[0]);
        KernelConnectionProperties props;
        try {
            props = KernelConnectionProperties.parse(Files.readString(connectionFile));
        } catch (IOException e) {
            System.err.println("Cannot read the connection file " + connectionFile + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        ParentWatch.start(System.getenv("JPY_PARENT_PID"));

        ShellSession.Mode mode = "remote".equalsIgnoreCase(System.getenv("PIPESCOPE_KERNEL_EXECUTION"))
                ? ShellSession.Mode.REMOTE : ShellSession.Mode.LOCAL;
        PipescopeKernel kernel = new PipescopeKernel(new KernelIO(), new Renderer(), mode, timeoutFromEnvironment());
        kernel.onStartup();
        KernelConnection connection = new KernelConnection(props);
        kernel.captureQueuedRequestsWith(connection::captureQueuedShellRequests);
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        // JShell starts once the sockets are up, so kernel_info is answered without waiting for javac
        Thread preparation = new Thread(kernel::prepare, "pipescope-prepare");
        preparation.setDaemon(true);
        preparation.start();
        kernel.shutdown.await();
        // let the shutdown reply leave before the sockets go
        kernel.shutdown.await(100, TimeUnit.MILLISECONDS);
        connection.close();
        System.exit(0);
    }

    private static long timeoutFromEnvironment() {
        String seconds = System.getenv("PIPESCOPE_EVAL_TIMEOUT");
        if (seconds == null || seconds.isBlank()) {
            return 0;
        }
        try {
            return Math.round(Double.parseDouble(seconds) * 1000);
        } catch (NumberFormatException e) {
            System.err.println("PIPESCOPE_EVAL_TIMEOUT must be a number of seconds, not '" + seconds + "'; no timeout set");
            return 0;
        }
    }

    /**
     * Runs what a kernel start and a first few cells run, without Jupyter, so that the install script
     * can record the classes in a class-data-sharing archive (-XX:ArchiveClassesAtExit) for faster starts.
     */
    static void train() {
        PipescopeKernel kernel = new PipescopeKernel(new KernelIO(), new Renderer(), ShellSession.Mode.LOCAL, 0);
        kernel.prepare();
        CellRunner cellRunner = kernel.awaitRunner();
        cellRunner.run("int trained = 1 + 1;\ntrained", "train");
        cellRunner.run("String text = String.join(\",\", List.of(\"a\", \"b\"));\ntext.length()", "train");
        kernel.render(cellRunner.run("html(\"<b>\" + trained + \"</b>\")", "train").value());
        cellRunner.assist().complete("text.toUpp", 10);
        cellRunner.assist().inspect("Math.max(1, 2)", 6, false);
        cellRunner.assist().isComplete("for (int i = 0; i < 2; i++) {");
        cellRunner.session().close();
    }

    /** The integrations' imports and startup code, for a plain jshell with the same jar. */
    static void printStartupScript(PrintStream out) {
        Integrations integrations = new Integrations(null);
        for (String target : DEFAULT_IMPORTS) {
            out.println("import " + target + ";");
        }
        for (Integrations.Contribution contribution : integrations.discover(PipescopeKernel.class.getClassLoader())) {
            out.println("// " + contribution.name);
            contribution.imports.forEach(target -> out.println("import " + target + ";"));
            contribution.variables.forEach(variable -> out.println(variable.standaloneDeclaration()));
            contribution.startupCode.forEach(out::println);
        }
    }
}
