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
 * start and waits a second when nobody answers). Earlier sessions are not kept.
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
        List<HistoryEntry> all = lookupRange(0, 0, 0, flags);
        return new ArrayList<>(all.subList(Math.max(0, all.size() - Math.max(0, length)), all.size()));
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
        return new ArrayList<>(matches.subList(Math.max(0, matches.size() - Math.max(0, length)), matches.size()));
    }

    private static HistoryEntry entry(int count, String code, Set<ResultFlag> flags) {
        // outputs are not kept: an empty one when asked for, as the protocol expects a value
        return new HistoryEntry(0, count, code, flags.contains(ResultFlag.INCLUDE_OUTPUT) ? "" : null);
    }
}
