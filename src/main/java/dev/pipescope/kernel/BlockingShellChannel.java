package dev.pipescope.kernel;

import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellHandler;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.RequestType;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.zeromq.ZMQ;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The shell or control channel (a ZeroMQ ROUTER socket) with its own thread that waits for requests with a
 * blocking poll (jjava's polls without waiting and then sleeps 50 ms, which added up to 50 ms to every request).
 *
 * <p>Every request is checked before it is handled: its signature must be the one the connection key gives it,
 * and it must not repeat one already received (a replay; as ipykernel, see {@link SignatureHistory}). A rejected
 * request is not answered and leaves one line in the kernel's log ({@link KernelLog}). Every accepted request
 * is answered: when its handler fails, even with an {@link Error} such as {@link OutOfMemoryError}, the client
 * gets an error reply and the channel goes on.
 */
final class BlockingShellChannel extends ShellChannel {

    /** Upper bound on one blocking wait, so that closing the channel is noticed promptly. */
    private static final long POLL_TIMEOUT_MS = 200;

    private final boolean control;
    private final KernelConnection connection;
    private final WireCodec codec;
    private final SignatureHistory signatures;
    /** Requests read while a failing cell was being answered: execute requests among them are aborted. */
    private final ArrayDeque<Message<?>> queuedBehindFailure = new ArrayDeque<>();
    private volatile boolean running;
    private Thread loop;
    private ZMQ.Poller poller;

    BlockingShellChannel(ZMQ.Context context, HMACGenerator hmac, boolean control, KernelConnection connection,
                         SignatureHistory signatures) {
        super(context, hmac, control, connection);
        this.control = control;
        this.connection = connection;
        this.codec = new WireCodec(hmac);
        this.signatures = signatures;
    }

    private String channelName() {
        return control ? "control" : "shell";
    }

    @Override
    public void bind(KernelConnectionProperties props) {
        if (loop != null) {
            throw new IllegalStateException(channelName() + " channel is already bound");
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
            Incoming incoming = readChecked();
            if (incoming.closed()) {
                return;
            }
            if (incoming.message() != null) {
                queuedBehindFailure.add(incoming.message());
            }
        }
    }

    /** One read: a message, a rejected one (null message), or the channel's end. */
    private record Incoming(Message<?> message, boolean closed) {}

    private Incoming readChecked() {
        List<byte[]> parts = new ArrayList<>();
        try {
            parts.add(recv(0));
            while (hasReceiveMore()) {
                parts.add(recv(0));
            }
        } catch (RuntimeException closed) {
            return new Incoming(null, true);
        }
        try {
            return new Incoming(verified(parts), false);
        } catch (WireCodec.Rejected rejected) {
            String what = rejected.describeMessage();
            KernelLog.warn("rejected a message on the " + channelName() + " channel: " + rejected.getMessage()
                    + (what == null ? "" : " (" + what + ")") + "; it is not answered");
            return new Incoming(null, false);
        }
    }

    /** The request in {@code parts}, once its signature is right and new. */
    private Message<?> verified(List<byte[]> parts) {
        WireCodec.Frames frames = WireCodec.Frames.of(parts);
        if (!codec.signatureValid(frames)) {
            throw new WireCodec.Rejected(frames.signature().isEmpty() ? "missing signature" : "invalid signature", frames);
        }
        if (codec.signs() && !signatures.firstTime(frames.signature())) {
            throw new WireCodec.Rejected("replayed message (its signature was already received)", frames);
        }
        return codec.decode(frames);
    }

    /** Reads and handles one message; false when the channel is closed. */
    private boolean handleNext() {
        Incoming incoming = readChecked();
        if (incoming.closed()) {
            return false;
        }
        return incoming.message() == null || dispatch(incoming.message(), false);
    }

    /** Handles one message, or answers an execute request "aborted"; false when the kernel shuts down. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private boolean dispatch(Message<?> message, boolean abortExecution) {
        MessageType<?> type = message.getHeader().getType();
        KernelReplyEnvironment env = connection.prepareReplyEnv(this, message);
        if (abortExecution && type == MessageType.EXECUTE_REQUEST) {
            env.setBusyDeferIdle();
            env.reply(new AbortedExecuteReply());
            env.resolveDeferrals();
            return true;
        }
        ShellHandler handler = connection.getHandler(type);
        if (handler == null) {
            KernelLog.warn("no handler for " + KernelLog.printable(type.getName()) + " on the " + channelName()
                    + " channel; it is not answered");
            return true;
        }
        try {
            handler.handle(env, message);
        } catch (Throwable failure) {
            // an Error too (OutOfMemoryError): letting it end this thread would leave every later request unanswered
            KernelLog.warn("handling " + type.getName() + " failed", failure);
            if (!env.replied()) {
                answerFailure(env, message, failure);
            }
        } finally {
            try {
                env.resolveDeferrals();
            } catch (RuntimeException failure) {
                KernelLog.warn("finishing " + type.getName() + " failed: " + failure);
            }
        }
        if (env.isMarkedForShutdown()) {
            running = false;
            connection.close();
            return false;
        }
        return true;
    }

    /** An error reply of the request's reply type (execute_reply, complete_reply...) naming what failed. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private void answerFailure(KernelReplyEnvironment env, Message<?> message, Throwable failure) {
        if (!(message.getContent() instanceof RequestType<?> request)) {
            return;
        }
        String name = failure.getClass().getSimpleName();
        String detail = failure.getMessage() == null ? "" : failure.getMessage();
        ErrorReply reply = new ErrorReply(name, detail, List.of(name + ": " + detail));
        try {
            env.replyError(((MessageType) request.getReplyType()).error(), reply);
        } catch (RuntimeException unsent) {
            KernelLog.warn("the error reply to " + message.getHeader().getType().getName() + " could not be sent: " + unsent);
        }
    }

    /**
     * Sends a reply, encoded by the kernel's {@link WireCodec}. A reply over the message size limit is replaced by
     * an error reply of the same type naming its size ({@link OutputTooLarge}), so the request is still answered.
     */
    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public synchronized void sendMessage(Message<?> message) {
        List<byte[]> frames;
        try {
            frames = codec.encode(message);
        } catch (OutputTooLarge tooLarge) {
            MessageType<?> type = message.getHeader().getType();
            Header<?> header = message.getHeader();
            Header<?> errorHeader = new Header(header.getId(), header.getUsername(), header.getSessionId(),
                    header.getTimestamp(), type.isError() ? type : type.error(), header.getVersion());
            ErrorReply error = new ErrorReply(tooLarge.ename(), tooLarge.getMessage(), tooLarge.traceback());
            frames = codec.encode(new Message(message.getIdentities(), errorHeader, message.getParentHeader(), null, error, null));
        }
        for (int i = 0; i < frames.size(); i++) {
            send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
        }
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
