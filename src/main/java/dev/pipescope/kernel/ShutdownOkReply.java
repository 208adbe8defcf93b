package dev.pipescope.kernel;

import org.dflib.jjava.jupyter.messages.ContentType;
import org.dflib.jjava.jupyter.messages.MessageType;

/** shutdown_reply with the "status" field the protocol requires (jjava's reply leaves it out). */
final class ShutdownOkReply implements ContentType<ShutdownOkReply> {

    @SuppressWarnings("unused") // serialized by Gson
    private final String status = "ok";
    @SuppressWarnings("unused")
    private final boolean restart;

    ShutdownOkReply(boolean restart) {
        this.restart = restart;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public MessageType<ShutdownOkReply> getType() {
        return (MessageType) MessageType.SHUTDOWN_REPLY;
    }
}
