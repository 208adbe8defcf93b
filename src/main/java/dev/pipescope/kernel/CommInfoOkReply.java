package dev.pipescope.kernel;

import org.dflib.jjava.jupyter.messages.ContentType;
import org.dflib.jjava.jupyter.messages.MessageType;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * comm_info_reply with the "status" field the protocol requires (jjava's reply leaves it out):
 * {@code {"status": "ok", "comms": {comm_id: {"target_name": name}}}}.
 */
final class CommInfoOkReply implements ContentType<CommInfoOkReply> {

    @SuppressWarnings("unused") // serialized by Gson
    private final String status = "ok";
    @SuppressWarnings("unused")
    private final Map<String, Map<String, String>> comms = new LinkedHashMap<>();

    /** @param targets comm id to target name */
    CommInfoOkReply(Map<String, String> targets) {
        targets.forEach((id, target) -> comms.put(id, Map.of("target_name", target)));
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public MessageType<CommInfoOkReply> getType() {
        return (MessageType) MessageType.COMM_INFO_REPLY;
    }
}
