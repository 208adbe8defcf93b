package dev.pipescope.kernel;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageContext;
import org.dflib.jjava.jupyter.messages.publish.PublishStatus;
import org.zeromq.ZMQ;

import java.lang.reflect.Field;
import java.security.GeneralSecurityException;

/**
 * jjava's connection with the shell, control and IOPub channels replaced by the kernel's own
 * ({@link BlockingShellChannel}, {@link IOPubPublisher}). The superclass builds its own channels of those kinds;
 * they are never bound here. The heartbeat and stdin channels are jjava's.
 */
final class KernelConnection extends JupyterConnection {

    private final KernelConnectionProperties props;
    private final BlockingShellChannel shellChannel;
    private final BlockingShellChannel controlChannel;
    private final IOPubPublisher iopubChannel;
    private volatile boolean connected;
    private volatile boolean closed;

    KernelConnection(KernelConnectionProperties props) throws GeneralSecurityException {
        super(props);
        this.props = props;
        ZMQ.Context context = zmqContext();
        // one history for both channels: a request captured on one must not be replayed on the other
        SignatureHistory signatures = new SignatureHistory();
        this.shellChannel = new BlockingShellChannel(context, props.createHMACGenerator(), false, this, signatures);
        this.controlChannel = new BlockingShellChannel(context, props.createHMACGenerator(), true, this, signatures);
        this.iopubChannel = new IOPubPublisher(context, props.createHMACGenerator());
    }

    private ZMQ.Context zmqContext() {
        try {
            Field ctx = JupyterConnection.class.getDeclaredField("ctx");
            ctx.setAccessible(true);
            return (ZMQ.Context) ctx.get(this);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("jjava-jupyter changed: JupyterConnection has no ZMQ context field", e);
        }
    }

    /** See {@link BlockingShellChannel#captureQueuedRequests()}; call on the shell channel's thread. */
    void captureQueuedShellRequests() {
        shellChannel.captureQueuedRequests();
    }

    @Override
    public IOPubPublisher getIOPub() {
        return iopubChannel;
    }

    @Override
    public KernelReplyEnvironment prepareReplyEnv(ShellChannel shell, MessageContext context) {
        return new KernelReplyEnvironment(shell, stdin, iopubChannel, context);
    }

    @Override
    public void connect() {
        if (connected) {
            return;
        }
        heartbeat.bind(props);
        shellChannel.bind(props);
        controlChannel.bind(props);
        stdin.bind(props);
        iopubChannel.bind(props);
        iopubChannel.sendMessage(new Message<>(null, PublishStatus.MESSAGE_TYPE, PublishStatus.STARTING));
        connected = true;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        shellChannel.close();
        controlChannel.close();
        // sends what is still queued (the shutdown's idle status) before the context goes
        iopubChannel.close();
        super.close();
    }

    @Override
    public void waitUntilClose() {
        shellChannel.waitUntilClose();
        controlChannel.waitUntilClose();
    }
}
