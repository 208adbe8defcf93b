package dev.pipescope.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunColumnsTest {
    static final Instant T0 = Instant.parse("2025-10-01T08:00:00Z");

    static Run run(RunSource source, String id, Instant start, Instant end) {
        return new Run(source, id, "owner", "name-" + id, end == null ? RunStatus.RUNNING : RunStatus.SUCCEEDED, "x",
                start, end, start != null && end != null ? Duration.between(start, end) : null, 1, null,
                Map.of("bytes_processed", 10.0));
    }

    static RunColumns columns(Run... runs) {
        var b = new RunColumns.Builder(runs.length);
        for (var r : runs) {
            b.add(r);
        }
        return b.build();
    }

    @Test
    void ofSortsNewestFirstWithTimelessRunsLast() {
        var cols = RunColumns.of(List.of(run(RunSource.ETL, "a", T0, T0.plusSeconds(5)),
                run(RunSource.DAGGER, "b", null, null), run(RunSource.ETL, "c", T0.plusSeconds(60), null),
                run(RunSource.DAGGER, "d", null, T0.plusSeconds(30))));
        assertEquals(List.of("c", "d", "a", "b"), cols.ids());
        assertEquals(Duration.ofSeconds(5).toMillis(), cols.durationMs(2).getAsLong());
        assertTrue(cols.start(3).isEmpty() && cols.end(3).isEmpty());
        assertEquals(10.0, cols.bytesProcessed(0).getAsDouble());
        assertTrue(cols.throughputBytesPerSecond(0).isEmpty());
    }

    @Test
    void theStreamMergerInterleavesByTimeAndStopsAtTheLimit() {
        var rest = RunColumns.of(List.of(run(RunSource.ETL, "r1", T0.plusSeconds(50), null),
                run(RunSource.ETL, "r2", T0.plusSeconds(20), null), run(RunSource.ETL, "r3", null, null)));
        var out = new ArrayList<RunColumns>();
        var merger = new RunColumns.StreamMerger(rest, Integer.MAX_VALUE, out::add);
        merger.push(columns(run(RunSource.PIPESCOPE, "p1", T0.plusSeconds(60), null),
                run(RunSource.PIPESCOPE, "p2", T0.plusSeconds(50), null)));
        merger.push(columns(run(RunSource.PIPESCOPE, "p3", T0.plusSeconds(10), null)));
        merger.finish();
        // a tie goes to the streamed run; what is left of the rest comes last
        assertEquals(List.of("p1", "p2", "r1", "r2", "p3", "r3"), RunColumns.concat(out).ids());

        var limited = new ArrayList<RunColumns>();
        var small = new RunColumns.StreamMerger(rest, 2, limited::add);
        small.push(columns(run(RunSource.PIPESCOPE, "p1", T0.plusSeconds(60), null),
                run(RunSource.PIPESCOPE, "p2", T0.plusSeconds(55), null), run(RunSource.PIPESCOPE, "p3", T0, null)));
        assertTrue(!small.wantsMore());
        small.finish();
        assertEquals(List.of("p1", "p2"), RunColumns.concat(limited).ids());
    }

    @Test
    void rowsOutsideTheColumnsAreRefusedAndArraysAreCopies() {
        var cols = columns(run(RunSource.ETL, "a", T0, T0.plusSeconds(1)));
        assertThrows(IndexOutOfBoundsException.class, () -> cols.id(1));
        cols.startMillis()[0] = 0;
        assertEquals(T0, cols.start(0).orElseThrow());
        assertEquals(List.of(RunSource.ETL), cols.sources());
        assertEquals(List.of(RunStatus.SUCCEEDED), cols.statuses());
    }

    @Test
    void theBuilderGrowsPastItsFirstGuess() {
        var b = new RunColumns.Builder(1);
        for (int i = 0; i < 100; i++) {
            b.add(run(RunSource.ETL, "r" + i, T0.plusSeconds(i), null));
        }
        var cols = b.build();
        assertEquals(100, cols.size());
        assertEquals("r99", cols.id(99));
        assertEquals(200, RunColumns.concat(List.of(cols, cols)).size());
    }
}
