package dev.pipescope.kernel;

import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.messages.ContentType;
import org.dflib.jjava.jupyter.messages.MessageType;

import java.util.ArrayList;
import java.util.List;

/**
 * history_reply as the protocol has it: a status and (session, line, input) tuples. jjava's reply
 * serializes its entries as objects, which clients cannot read.
 */
final class HistoryOkReply implements ContentType<HistoryOkReply> {

    @SuppressWarnings("unused") // serialized by Gson
    private final String status = "ok";
    @SuppressWarnings("unused")
    private final List<List<Object>> history = new ArrayList<>();

    HistoryOkReply(List<HistoryEntry> entries) {
        for (HistoryEntry entry : entries) {
            Object input = entry.hasOutput() ? List.of(entry.getInput(), entry.getOutput()) : entry.getInput();
            history.add(List.of(entry.getSession(), entry.getCellNumber(), input));
        }
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public MessageType<HistoryOkReply> getType() {
        return (MessageType) MessageType.HISTORY_REPLY;
    }
}
