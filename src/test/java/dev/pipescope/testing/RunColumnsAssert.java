package dev.pipescope.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pipescope.domain.Run;
import dev.pipescope.domain.RunColumns;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/** Compares {@link RunColumns} with the {@link Run}s they should hold, row by row and field by field. */
public final class RunColumnsAssert {
    private RunColumnsAssert() {}

    public static void assertSameRuns(List<Run> expected, RunColumns actual) {
        assertEquals(expected.size(), actual.size(), "rows");
        for (int i = 0; i < expected.size(); i++) {
            var run = expected.get(i);
            var where = "row " + i + " (" + run.id() + ")";
            assertEquals(run.source(), actual.source(i), where);
            assertEquals(run.id(), actual.id(i), where);
            assertEquals(run.name(), actual.name(i), where);
            assertEquals(run.status(), actual.status(i), where);
            assertEquals(run.start() == null ? null : run.start().toEpochMilli(),
                    actual.start(i).map(java.time.Instant::toEpochMilli).orElse(null), where + " start");
            assertEquals(run.end() == null ? null : run.end().toEpochMilli(),
                    actual.end(i).map(java.time.Instant::toEpochMilli).orElse(null), where + " end");
            assertEquals(run.duration() == null ? OptionalLong.empty() : OptionalLong.of(run.duration().toMillis()),
                    actual.durationMs(i), where + " duration");
            assertEquals(run.attempts(), actual.attempts(i), where + " attempts");
            assertEquals(optional(run.measures().get("bytes_processed")), actual.bytesProcessed(i), where + " bytes");
            assertEquals(optional(run.measures().get("throughput_bytes_per_second")),
                    actual.throughputBytesPerSecond(i), where + " throughput");
            assertEquals(run.errorIfAny(), actual.error(i), where + " error");
        }
    }

    private static OptionalDouble optional(Double value) {
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }
}
