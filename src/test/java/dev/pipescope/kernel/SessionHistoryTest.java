package dev.pipescope.kernel;

import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager.ResultFlag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SessionHistoryTest {

    private static List<String> inputs(List<HistoryEntry> entries) {
        return entries.stream().map(HistoryEntry::getInput).toList();
    }

    @Test
    void tailRangeAndGlobSearch() {
        SessionHistory history = new SessionHistory();
        history.record(1, "int a = 1;");
        history.record(2, "a + 1");
        history.record(3, "int b = 2;");
        history.record(4, "int a = 1;");
        assertEquals(List.of("int b = 2;", "int a = 1;"), inputs(history.lookupTail(2, Set.of())));
        assertEquals(List.of("a + 1", "int b = 2;"), inputs(history.lookupRange(0, 2, 4, Set.of())));
        assertEquals(List.of(), history.lookupRange(-1, 0, 0, Set.of()));
        assertEquals(List.of("int a = 1;", "int b = 2;", "int a = 1;"), inputs(history.search("int ? = *", 10, Set.of())));
        assertEquals(List.of("int a = 1;", "int b = 2;"), inputs(history.search("int*", 10, Set.of(ResultFlag.UNIQUE))));
        assertEquals("", history.lookupTail(1, Set.of(ResultFlag.INCLUDE_OUTPUT)).get(0).getOutput());
    }

    @Test
    void withoutALimitEveryMatchIsReturned() {
        SessionHistory history = new SessionHistory();
        for (int i = 1; i <= 30; i++) {
            history.record(i, "int v" + i + " = " + i + ";");
        }
        assertEquals(30, history.search("int v*", HistoryRequestHandler.NO_LIMIT, Set.of()).size());
        assertEquals(30, history.lookupTail(HistoryRequestHandler.NO_LIMIT, Set.of()).size());
        assertEquals(List.of(), history.search("int v*", 0, Set.of()));
    }
}
