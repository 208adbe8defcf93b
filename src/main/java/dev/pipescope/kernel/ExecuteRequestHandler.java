package dev.pipescope.kernel;

import com.google.gson.JsonElement;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageContext;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteInput;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * execute_request: runs a cell and answers as ipykernel does. On IOPub: busy, execute_input, the cell's output
 * (stream, display_data...), then execute_result or error; on the shell channel the execute_reply, sent once
 * that output is handed to ZeroMQ; then idle.
 *
 * <p>A silent request (or one with store_history off) is not recorded in the history and does not advance the
 * execution count; a silent one also publishes no execute_input and no execute_result, and an error in it does
 * not abort the requests queued behind it.
 */
final class ExecuteRequestHandler {

    private final JShellKernel kernel;
    private final SessionHistory history;
    private final KernelIO kernelIO;
    private final IOPubPublisher iopub;
    private final AtomicInteger executionCount;
    /** Reads the requests queued behind a cell that failed with stop_on_error (the shell channel's). */
    private final Runnable captureQueuedRequests;
    private volatile MessageContext lastRequest;
    /** The pages (payloads) of the cell running now; null between cells. */
    private volatile List<Map<String, Object>> pages;

    ExecuteRequestHandler(JShellKernel kernel, SessionHistory history, KernelIO kernelIO, IOPubPublisher iopub,
                          AtomicInteger executionCount, Runnable captureQueuedRequests) {
        this.kernel = kernel;
        this.history = history;
        this.kernelIO = kernelIO;
        this.iopub = iopub;
        this.executionCount = executionCount;
        this.captureQueuedRequests = captureQueuedRequests;
    }

    /** The request of the cell running now or last, under which display functions publish; null before the first. */
    MessageContext lastRequest() {
        return lastRequest;
    }

    /**
     * Adds a page to the running cell's reply: the notebook shows it in its pager, as IPython's help.
     *
     * @param data the bundle's data as JSON, MIME type to value
     * @throws IllegalStateException when no cell is running (a page travels in its cell's reply)
     */
    void addPage(JsonElement data) {
        List<Map<String, Object>> current = pages;
        if (current == null) {
            throw new IllegalStateException("page() works while a cell runs: a page is sent with the cell's reply");
        }
        current.add(Map.of("source", "page", "data", data, "start", 0));
    }

    void handle(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        // JShell serves one request at a time: completion and inspection take the same lock
        synchronized (kernel) {
            execute(env, message);
        }
    }

    private void execute(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        kernel.comms().setMessageContext(message);
        ExecuteRequest request = message.getContent();
        boolean silent = request.isSilent();
        // the protocol: silent implies store_history false
        boolean store = request.shouldStoreHistory() && !silent;
        // as IPython: a cell that is not stored reports the count of the last one that was
        int count = store ? executionCount.getAndIncrement() : executionCount.get() - 1;
        if (store) {
            history.record(count, request.getCode());
        }
        env.setBusyDeferIdle();
        if (!silent) {
            env.publish(new PublishExecuteInput(request.getCode(), count));
        }
        lastRequest = message;
        List<Map<String, Object>> cellPages = Collections.synchronizedList(new ArrayList<>());
        pages = cellPages;
        try {
            ShellSession.Value value;
            try {
                value = runCell(env, message, count);
            } finally {
                pages = null;
            }
            if (value.present() && !silent) {
                env.publish(new PublishExecuteResult(count, kernel.render(value.value())));
            }
            iopub.awaitSent();
            env.defer().reply(new ExecuteOkReply(count, cellPages));
        } catch (CellError e) {
            failSafely(env, request, count, e.ename(), e.getMessage(), e.traceback());
        } catch (RuntimeException | Error e) {
            // a renderer's bug, or an OutOfMemoryError while rendering: the cell fails, the kernel goes on
            List<String> traceback = new ArrayList<>();
            traceback.add(e.getClass().getSimpleName() + ": " + e.getMessage());
            for (StackTraceElement frame : e.getStackTrace()) {
                traceback.add("    at " + frame);
            }
            failSafely(env, request, count, e.getClass().getSimpleName(), String.valueOf(e.getMessage()), traceback);
        }
    }

    /** Reports the cell's error; when even that fails (memory is short), reports the error by name only. */
    private void failSafely(ShellReplyEnvironment env, ExecuteRequest request, int count, String name, String message,
                            List<String> traceback) {
        try {
            fail(env, request, count, name, message, traceback);
        } catch (RuntimeException | Error failure) {
            KernelLog.warn("reporting a cell's " + name + " failed", failure);
            String brief = "(the error could not be reported in full: " + failure.getClass().getSimpleName() + ")";
            fail(env, request, count, name, brief, List.of(name + ": " + brief));
        }
    }

    /** Runs the cell with System.out/err/in bound to this request; they are restored before it returns. */
    private ShellSession.Value runCell(ShellReplyEnvironment env, Message<ExecuteRequest> message, int count) {
        // new streams for each cell: a stopped cell thread can leave a PrintStream's encoder half way through a write
        PrintStream out = new PrintStream(new StreamSink(iopub, message, PublishStream.StreamType.OUT), false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new StreamSink(iopub, message, PublishStream.StreamType.ERR), false, StandardCharsets.UTF_8);
        PrintStream previousOut = System.out;
        PrintStream previousErr = System.err;
        InputStream previousIn = System.in;
        System.setOut(out);
        System.setErr(err);
        System.setIn(promptFlushing(kernelIO.in));
        kernelIO.attach(env, message.getContent().isStdinEnabled());
        kernel.cellStarted();
        try {
            CellRunner cellRunner = kernel.startup().awaitRunner();
            kernel.startup().printReport();
            cellRunner.session().beginCell();
            try {
                // an interrupt that came while the kernel was still starting, or before the cell began
                if (kernel.interruptPending()) {
                    throw new Interrupted("the cell was interrupted before it started; nothing of it ran");
                }
                return cellRunner.run(message.getContent().getCode(), "In [" + count + "]");
            } finally {
                cellRunner.session().endCell();
            }
        } finally {
            kernel.cellEnded();
            out.flush();
            err.flush();
            System.setOut(previousOut);
            System.setErr(previousErr);
            System.setIn(previousIn);
            kernelIO.detach(env);
        }
    }

    /** Standard input that sends the output printed so far before it asks the client for a line (the prompt). */
    private InputStream promptFlushing(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                flushIfAsking();
                return super.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                flushIfAsking();
                return super.read(b, off, len);
            }

            private void flushIfAsking() throws IOException {
                if (in.available() == 0) {
                    System.out.flush();
                    System.err.flush();
                    iopub.awaitSent();
                }
            }
        };
    }

    private void fail(ShellReplyEnvironment env, ExecuteRequest request, int count, String name, String message,
                      List<String> traceback) {
        if (request.shouldStopOnError() && !request.isSilent()) {
            captureQueuedRequests.run(); // before the error reply: see BlockingShellChannel
        }
        List<String> styled = new ArrayList<>(traceback.size());
        for (int i = 0; i < traceback.size(); i++) {
            styled.add(i == 0 ? kernel.styler().secondary(traceback.get(i)) : traceback.get(i));
        }
        String evalue = message == null ? "" : message;
        try {
            env.publish(new PublishError(name, evalue, styled));
        } catch (OutputTooLarge tooLarge) {
            // an exception whose message or trace is too large: the client is told that instead
            name = tooLarge.ename();
            evalue = tooLarge.getMessage();
            styled = List.of(kernel.styler().secondary(tooLarge.traceback().get(0)));
            env.publish(new PublishError(name, evalue, styled));
        }
        iopub.awaitSent();
        ErrorReply reply = new ErrorReply(name, evalue, styled);
        reply.setExecutionCount(count);
        env.defer().replyError(ExecuteReply.MESSAGE_TYPE.error(), reply);
    }
}
