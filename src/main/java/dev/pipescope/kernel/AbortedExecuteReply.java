package dev.pipescope.kernel;

import org.dflib.jjava.jupyter.messages.ContentType;
import org.dflib.jjava.jupyter.messages.MessageType;

/** execute_reply for a request that was queued behind a failed cell and is therefore not run. */
final class AbortedExecuteReply implements ContentType<AbortedExecuteReply> {

    @SuppressWarnings("unused") // serialized by Gson
    private final String status = "aborted";

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public MessageType<AbortedExecuteReply> getType() {
        return (MessageType) MessageType.EXECUTE_REPLY;
    }
}
