package dev.pipescope.kernel;

import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The cells executed in this kernel session, for history requests (jupyter console loads them at
 * start and waits a second when nobody answers). Earlier sessions are not kept. Silent executions and
 * those with store_history off are not recorded. A negative length means no limit.
 */
final class SessionHistory implements HistoryManager {

    private final Map<Integer, String> inputs = new LinkedHashMap<>();

    synchronized void record(int executionCount, String code) {
        inputs.put(executionCount, code);
    }

    @Override
    public synchronized List<HistoryEntry> lookupRange(int sessionOffset, int startCell, int endCell, Set<ResultFlag> flags) {
        List<HistoryEntry> entries = new ArrayList<>();
        if (sessionOffset != 0) {
            return entries;
        }
        inputs.forEach((count, code) -> {
            if (count >= startCell && (endCell <= 0 || count < endCell)) {
                entries.add(entry(count, code, flags));
            }
        });
        return entries;
    }

    @Override
    public synchronized List<HistoryEntry> lookupTail(int length, Set<ResultFlag> flags) {
        return last(lookupRange(0, 0, 0, flags), length);
    }

    @Override
    public synchronized List<HistoryEntry> search(String pattern, int length, Set<ResultFlag> flags) {
        // IPython's history search takes a glob: * any text, ? one character
        Pattern glob = Pattern.compile(Pattern.quote(pattern).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q"), Pattern.DOTALL);
        List<HistoryEntry> matches = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        inputs.forEach((count, code) -> {
            if (glob.matcher(code).matches() && (!flags.contains(ResultFlag.UNIQUE) || seen.add(code))) {
                matches.add(entry(count, code, flags));
            }
        });
        return last(matches, length);
    }

    /** The last {@code length} entries; all of them when {@code length} is negative (a request without n). */
    private static List<HistoryEntry> last(List<HistoryEntry> entries, int length) {
        if (length < 0) {
            return entries;
        }
        return new ArrayList<>(entries.subList(Math.max(0, entries.size() - length), entries.size()));
    }

    private static HistoryEntry entry(int count, String code, Set<ResultFlag> flags) {
        // outputs are not kept: an empty one when asked for, as the protocol expects a value
        return new HistoryEntry(0, count, code, flags.contains(ResultFlag.INCLUDE_OUTPUT) ? "" : null);
    }
}
