package dev.pipescope.kernel;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishStatus;
import org.zeromq.ZMQ;

import java.lang.reflect.Field;
import java.security.GeneralSecurityException;

/**
 * jjava's connection with the shell and control channels replaced by {@link BlockingShellChannel}.
 * The superclass builds its own (sleeping) shell channels; they are never bound here.
 */
final class KernelConnection extends JupyterConnection {

    private final KernelConnectionProperties props;
    private final BlockingShellChannel shellChannel;
    private final BlockingShellChannel controlChannel;
    private volatile boolean connected;
    private volatile boolean closed;

    KernelConnection(KernelConnectionProperties props) throws GeneralSecurityException {
        super(props);
        this.props = props;
        ZMQ.Context context = zmqContext();
        this.shellChannel = new BlockingShellChannel(context, props.createHMACGenerator(), false, this);
        this.controlChannel = new BlockingShellChannel(context, props.createHMACGenerator(), true, this);
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
    public void connect() {
        if (connected) {
            return;
        }
        heartbeat.bind(props);
        shellChannel.bind(props);
        controlChannel.bind(props);
        stdin.bind(props);
        iopub.bind(props);
        iopub.sendMessage(new Message<>(null, PublishStatus.MESSAGE_TYPE, PublishStatus.STARTING));
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
        super.close();
    }

    @Override
    public void waitUntilClose() {
        shellChannel.waitUntilClose();
        controlChannel.waitUntilClose();
    }
}
