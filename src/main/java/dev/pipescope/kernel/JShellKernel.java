package dev.pipescope.kernel;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ReplyEnvironment;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.kernel.util.TextColor;
import org.dflib.jjava.jupyter.messages.ContentType;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageContext;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.request.CommInfoRequest;
import org.dflib.jjava.jupyter.messages.request.InterruptRequest;
import org.dflib.jjava.jupyter.messages.request.KernelInfoRequest;
import org.dflib.jjava.jupyter.messages.request.ShutdownRequest;

import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * The Jupyter kernel object: Java evaluated by JShell inside this JVM. It answers each request type of the
 * messaging protocol, itself for the small ones (kernel_info, comm_info, complete, inspect, is_complete,
 * interrupt, shutdown) and through {@link ExecuteRequestHandler} and {@link HistoryRequestHandler} for the others.
 * The process around it is {@link PipescopeKernel}; JShell and the integrations come from {@link KernelStartup}.
 */
final class JShellKernel extends BaseKernel {

    private static volatile JShellKernel running;

    private final KernelStartup startup;
    private final Renderers renderers;
    private final SessionHistory history;
    private final KernelIO kernelIO;
    private final CountDownLatch shutdown = new CountDownLatch(1);
    private volatile ExecuteRequestHandler executeRequests;
    private volatile IOPubPublisher iopub;

    JShellKernel(KernelIO io, Renderer renderer, ShellSession.Mode mode, long timeoutMillis) {
        this(io, renderer, mode, timeoutMillis, loader -> ServiceLoader.load(NotebookIntegration.class, loader));
    }

    /** @param integrations the integrations a class loader sees (tests give their own) */
    JShellKernel(KernelIO io, Renderer renderer, ShellSession.Mode mode, long timeoutMillis,
                 Function<ClassLoader, Iterable<NotebookIntegration>> integrations) {
        this(io, renderer, mode, timeoutMillis, new SessionHistory(), integrations);
    }

    private JShellKernel(KernelIO io, Renderer renderer, ShellSession.Mode mode, long timeoutMillis, SessionHistory history,
                         Function<ClassLoader, Iterable<NotebookIntegration>> integrations) {
        super("pipescope", version(), languageInfo(),
                List.of(new HelpLink("Java 17 API", "https://docs.oracle.com/en/java/javase/17/docs/api/")),
                history, io, new CommManager(), renderer, null, null, false, errorStyler());
        this.kernelIO = io;
        this.history = history;
        this.renderers = new Renderers(renderer);
        this.startup = new KernelStartup(new Integrations(renderers, integrations), mode, timeoutMillis);
    }

    private static String version() {
        String v = JShellKernel.class.getPackage().getImplementationVersion();
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
    static JShellKernel running() {
        JShellKernel kernel = running;
        if (kernel == null) {
            throw new IllegalStateException("display functions need the Pipescope Jupyter kernel; none is running in this JVM");
        }
        return kernel;
    }

    KernelStartup startup() {
        return startup;
    }

    /** Starts JShell and the integrations (see {@link KernelStartup#prepare}). */
    void prepare() {
        startup.prepare(this);
    }

    DisplayData render(Object value) {
        return renderers.render(value);
    }

    /** A value an integration shared with notebooks (see {@link KernelVariables}). */
    Object sharedVariable(String name) {
        return startup.sharedVariable(name);
    }

    /**
     * Publishes an output of the running cell (display_data, update_display_data, clear_output); from a thread the
     * cell started, after it ended, under the last cell (as ipykernel does).
     *
     * @throws IllegalStateException when no cell has run yet
     * @throws OutputTooLarge        when the output is over the message size limit
     * @throws UncheckedIOException  when the cell is interrupted while earlier output waits for the client
     */
    <T extends ContentType<T>> void publishOutput(T content) {
        ExecuteRequestHandler handler = executeRequests;
        MessageContext parent = handler == null ? null : handler.lastRequest();
        if (parent == null || iopub == null) {
            throw new IllegalStateException("display functions work in a cell; no cell has run in this kernel yet");
        }
        try {
            iopub.publishOutput(new Message<>(parent, content.getType(), content));
        } catch (InterruptedIOException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends {@code value} to the notebook's pager with the running cell's reply.
     *
     * @throws IllegalStateException when no cell is running
     */
    void page(Object value) {
        ExecuteRequestHandler handler = executeRequests;
        if (handler == null) {
            throw new IllegalStateException("page() works while a cell runs; no cell has run in this kernel yet");
        }
        handler.addPage(dataOf(render(value)));
    }

    /** A bundle's MIME type to value object, as the protocol's "data" (DisplayData keeps its map private). */
    private static JsonElement dataOf(DisplayData bundle) {
        return new Gson().toJsonTree(bundle).getAsJsonObject().get("data");
    }

    // ---- requests ----

    /** Registers a handler for each request type; {@code connection} must be the kernel's own. */
    @Override
    public void becomeHandlerForConnection(JupyterConnection connection) {
        super.becomeHandlerForConnection(connection);
        KernelConnection kernelConnection = (KernelConnection) connection;
        iopub = kernelConnection.getIOPub();
        executeRequests = new ExecuteRequestHandler(this, history, kernelIO, iopub, executionCount,
                kernelConnection::captureQueuedShellRequests);
        connection.setHandler(MessageType.EXECUTE_REQUEST, executeRequests::handle);
        connection.setHandler(MessageType.HISTORY_REQUEST, new HistoryRequestHandler(history)::handle);
        connection.setHandler(MessageType.COMM_INFO_REQUEST, this::handleCommInfoRequest);
    }

    StringStyler styler() {
        return errorStyler;
    }

    CommManager comms() {
        return commManager;
    }

    @Override
    public Object evalRaw(String source) {
        ShellSession.Value value = startup.awaitRunner().run(source, "eval");
        return value.present() ? value.value() : null;
    }

    @Override
    public synchronized DisplayData inspect(String code, int at, boolean extraDetail) {
        String text = startup.awaitRunner().assist().inspect(code, at, extraDetail);
        return text == null ? null : new DisplayData(text);
    }

    @Override
    public synchronized ReplacementOptions complete(String code, int at) {
        return startup.awaitRunner().assist().complete(code, at);
    }

    @Override
    public synchronized String isComplete(String code) {
        return startup.awaitRunner().assist().isComplete(code);
    }

    private volatile boolean cellRunning;
    private volatile boolean interruptPending;

    /** An execute request began: an interrupt from now on belongs to it, even before its code starts. */
    void cellStarted() {
        interruptPending = false;
        cellRunning = true;
    }

    void cellEnded() {
        cellRunning = false;
        interruptPending = false;
    }

    /** Whether the running execute request was interrupted. */
    boolean interruptPending() {
        return interruptPending;
    }

    @Override
    public void interrupt() {
        if (cellRunning) {
            interruptPending = true;
        }
        CellRunner cellRunner = startup.runnerIfReady();
        if (cellRunner != null) {
            cellRunner.session().interrupt();
        }
    }

    /**
     * Answered once JShell and the integrations are installed (about a second after the sockets are up): a client
     * that sees the kernel ready then gets its first cell's result without waiting for that start-up.
     */
    @Override
    protected void handleKernelInfoRequest(ShellReplyEnvironment env, Message<KernelInfoRequest> message) {
        startup.awaitStarted();
        env.setBusyDeferIdle();
        env.reply(new KernelInfoOkReply(Header.PROTOCOL_VERISON, name, version, getLanguageInfo(), getBanner(), getHelpLinks()));
    }

    /** interrupt_reply with its status (jjava's has none); the interrupt itself reaches the cell through JShell. */
    @Override
    protected void handleInterruptRequest(ShellReplyEnvironment env, Message<InterruptRequest> message) {
        env.setBusyDeferIdle();
        env.defer().reply(new InterruptOkReply());
        interrupt();
    }

    /** comm_info_reply with its status (jjava's has none): the open comms, of one target if the request names it. */
    private void handleCommInfoRequest(ReplyEnvironment env, Message<CommInfoRequest> message) {
        String target = message.getContent().getTargetName();
        env.setBusyDeferIdle();
        Map<String, String> comms = new LinkedHashMap<>();
        commManager.forEach(comm -> {
            if (target == null || target.equals(comm.getTargetName())) {
                comms.put(comm.getID(), comm.getTargetName());
            }
        });
        env.reply(new CommInfoOkReply(comms));
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

    /** Waits for a shutdown_request. */
    void awaitShutdown() throws InterruptedException {
        shutdown.await();
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        interrupt();
        startup.runShutdownHooks();
        super.onShutdown(isRestarting);
        running = null;
    }

    @Override
    public void onStartup() {
        super.onStartup();
        running = this;
    }
}
