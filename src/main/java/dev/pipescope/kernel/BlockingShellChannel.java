package dev.pipescope.kernel;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellHandler;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.zeromq.ZMQ;

/**
 * A shell/control channel that waits for requests with a blocking poll. jjava's own channel polls
 * without waiting and then sleeps 50 ms, which adds up to 50 ms to every request.
 */
final class BlockingShellChannel extends ShellChannel {

    /** Upper bound on one blocking wait, so that closing the channel is noticed promptly. */
    private static final long POLL_TIMEOUT_MS = 200;

    private final boolean control;
    private final JupyterConnection connection;
    /** Requests read while a failing cell was being answered: execute requests among them are aborted. */
    private final java.util.ArrayDeque<Message<?>> queuedBehindFailure = new java.util.ArrayDeque<>();
    private volatile boolean running;
    private Thread loop;
    private ZMQ.Poller poller;

    BlockingShellChannel(ZMQ.Context context, HMACGenerator hmac, boolean control, JupyterConnection connection) {
        super(context, hmac, control, connection);
        this.control = control;
        this.connection = connection;
    }

    @Override
    public void bind(KernelConnectionProperties props) {
        if (loop != null) {
            throw new IllegalStateException((control ? "control" : "shell") + " channel is already bound");
        }
        int port = control ? props.getControlPort() : props.getShellPort();
        // ZMQ.Socket.bind: JupyterSocket.bind(props) is the abstract overload we implement here
        super.bind(props.getTransport() + "://" + props.getIp() + ":" + port);
        poller = ctx.poller(1);
        poller.register(this, ZMQ.Poller.POLLIN);
        running = true;
        loop = new Thread(() -> serve(poller), control ? "pipescope-control" : "pipescope-shell");
        loop.setDaemon(true);
        loop.start();
    }

    private void serve(ZMQ.Poller poller) {
        while (running) {
            int events;
            try {
                events = poller.poll(POLL_TIMEOUT_MS);
            } catch (RuntimeException closed) {
                // the context was terminated under us: the kernel is shutting down
                return;
            }
            if (events <= 0 || !running) {
                continue;
            }
            if (!handleNext()) {
                return;
            }
            // like ipykernel: what was queued behind a failed cell is answered "aborted", not run
            while (running && !queuedBehindFailure.isEmpty()) {
                if (!dispatch(queuedBehindFailure.poll(), true)) {
                    return;
                }
            }
        }
    }

    /**
     * Called by the execute handler, on this channel's thread, when a cell failed with stop_on_error and
     * before its error reply is sent: reads every request already waiting, so exactly those (and not one
     * a client sends after reading the error reply) are aborted.
     */
    void captureQueuedRequests() {
        while (running && poller != null && poller.poll(0) > 0) {
            var incoming = readChecked();
            if (incoming.closed()) {
                return;
            }
            if (incoming.message() != null) {
                queuedBehindFailure.add(incoming.message());
            }
        }
    }

    /** One read: a message, a dropped one (null message), or the channel's end. */
    private record Incoming(Message<?> message, boolean closed) {}

    private Incoming readChecked() {
        try {
            var message = readMessage();
            return new Incoming(message, message == null);
        } catch (SecurityException badSignature) {
            // a request signed with another key is dropped unanswered, and never executed
            logger.warn("Rejected a message with an invalid signature on the {} channel", control ? "control" : "shell");
            return new Incoming(null, false);
        } catch (RuntimeException unreadable) {
            logger.warn("Dropped an unreadable message: {}", unreadable.toString());
            return new Incoming(null, false);
        }
    }

    /** Reads and handles one message; false when the channel is closed. */
    private boolean handleNext() {
        var incoming = readChecked();
        if (incoming.closed()) {
            return false;
        }
        return incoming.message() == null || dispatch(incoming.message(), false);
    }

    /** Handles one message, or answers an execute request "aborted"; false when the kernel shuts down. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private boolean dispatch(Message<?> message, boolean abortExecution) {
        if (abortExecution && message.getHeader().getType() == org.dflib.jjava.jupyter.messages.MessageType.EXECUTE_REQUEST) {
            ShellReplyEnvironment env = connection.prepareReplyEnv(this, message);
            env.setBusyDeferIdle();
            env.reply(new AbortedExecuteReply());
            env.resolveDeferrals();
            return true;
        }
        ShellHandler handler = connection.getHandler(message.getHeader().getType());
        if (handler == null) {
            logger.warn("No handler for message type {}", message.getHeader().getType().getName());
            return true;
        }
        ShellReplyEnvironment env = connection.prepareReplyEnv(this, message);
        try {
            handler.handle(env, message);
        } catch (Exception e) {
            logger.warn("Handler for {} failed: {}", message.getHeader().getType().getName(), e.toString());
        } finally {
            env.resolveDeferrals();
        }
        if (env.isMarkedForShutdown()) {
            running = false;
            connection.close();
            return false;
        }
        return true;
    }

    @Override
    public void close() {
        running = false;
        super.close();
    }

    @Override
    public void waitUntilClose() {
        Thread t = loop;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
