package dev.pipescope.kernel;

import org.dflib.jjava.jupyter.messages.ContentType;
import org.dflib.jjava.jupyter.messages.MessageType;

/** interrupt_reply with the "status" field the protocol requires (jjava's reply leaves it out). */
final class InterruptOkReply implements ContentType<InterruptOkReply> {

    @SuppressWarnings("unused") // serialized by Gson
    private final String status = "ok";

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public MessageType<InterruptOkReply> getType() {
        return (MessageType) MessageType.INTERRUPT_REPLY;
    }
}
