package dev.pipescope.kernel;

import com.google.gson.annotations.SerializedName;
import org.dflib.jjava.jupyter.messages.ContentType;
import org.dflib.jjava.jupyter.messages.MessageType;

import java.util.List;
import java.util.Map;

/**
 * execute_reply of a cell that succeeded, with the protocol's payload list (jjava's reply has none): pages the
 * cell showed with {@link Display#page(Object)}, as {@code {"source": "page", "data": {mime: value}, "start": 0}}.
 */
@SuppressWarnings("unused") // fields are serialized by Gson
final class ExecuteOkReply implements ContentType<ExecuteOkReply> {

    private final String status = "ok";
    @SerializedName("execution_count")
    private final int executionCount;
    @SerializedName("user_expressions")
    private final Map<String, Object> userExpressions = Map.of();
    private final List<Map<String, Object>> payload;

    ExecuteOkReply(int executionCount, List<Map<String, Object>> payload) {
        this.executionCount = executionCount;
        this.payload = List.copyOf(payload);
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public MessageType<ExecuteOkReply> getType() {
        return (MessageType) MessageType.EXECUTE_REPLY;
    }
}
