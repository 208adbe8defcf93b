package dev.pipescope.kernel;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * history_request: the cells of this session ({@link SessionHistory}) by tail, range or glob search, answered as
 * the protocol's (session, line, input) tuples. A request without {@code n} has no limit, as in IPython.
 */
final class HistoryRequestHandler {

    /** The {@code n} that stands for "no limit" once a request is decoded. */
    static final int NO_LIMIT = -1;

    private final SessionHistory history;

    HistoryRequestHandler(SessionHistory history) {
        this.history = history;
    }

    /**
     * The content of a history_request with {@code n} made explicit: jjava reads it into an int field, where a
     * missing {@code n} became 0 and a search without one found nothing.
     */
    static JsonObject withExplicitLimit(JsonObject content) {
        JsonElement n = content.get("n");
        if (n == null || n.isJsonNull()) {
            JsonObject copy = content.deepCopy();
            copy.addProperty("n", NO_LIMIT);
            return copy;
        }
        return content;
    }

    void handle(ShellReplyEnvironment env, Message<HistoryRequest> message) {
        HistoryRequest request = message.getContent();
        env.setBusyDeferIdle();
        Set<HistoryManager.ResultFlag> flags = EnumSet.noneOf(HistoryManager.ResultFlag.class);
        if (request.includeOutput()) {
            flags.add(HistoryManager.ResultFlag.INCLUDE_OUTPUT);
        }
        List<HistoryEntry> entries = switch (request.getAccessType()) {
            case TAIL -> history.lookupTail(((HistoryRequest.Tail) request).getMaxReturnLength(), flags);
            case RANGE -> {
                HistoryRequest.Range range = (HistoryRequest.Range) request;
                yield history.lookupRange(range.getSessionIndex(), range.getStart(), range.getStop(), flags);
            }
            case SEARCH -> {
                HistoryRequest.Search search = (HistoryRequest.Search) request;
                if (search.filterUnique()) {
                    flags.add(HistoryManager.ResultFlag.UNIQUE);
                }
                yield history.search(search.getPattern(), search.getMaxReturnLength(), flags);
            }
        };
        env.reply(new HistoryOkReply(entries));
    }
}
