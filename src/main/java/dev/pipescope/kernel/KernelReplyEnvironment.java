package dev.pipescope.kernel;

import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.channels.StdinChannel;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageContext;

/**
 * jjava's reply environment for one request, publishing through the kernel's {@link IOPubPublisher} and remembering
 * whether a reply was sent, so that a request whose handler failed can still be answered.
 */
final class KernelReplyEnvironment extends ShellReplyEnvironment {

    private volatile boolean replied;

    KernelReplyEnvironment(ShellChannel shell, StdinChannel stdin, IOPubPublisher iopub, MessageContext context) {
        super(shell, stdin, iopub, context);
    }

    @Override
    public void reply(Message<?> message) {
        replied = true;
        super.reply(message);
    }

    /** True once a reply was sent or deferred (it goes out when the environment resolves its deferrals). */
    boolean replied() {
        return replied;
    }
}
