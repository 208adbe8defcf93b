package dev.pipescope.notebook;

import dev.pipescope.error.InvalidArgumentException;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChartsTest {

    static Table runs() {
        Instant day = Instant.parse("2025-10-01T10:00:00Z");
        return Table.create("runs",
                StringColumn.create("pipeline", "alpha", "alpha", "beta", "<beta>"),
                StringColumn.create("status", "succeeded", "failed", "succeeded", "running"),
                InstantColumn.create("started_at", new Instant[] {day, day.plusSeconds(3600), day.plusSeconds(86_400), day.plusSeconds(90_000)}),
                LongColumn.create("duration_ms", 1200L, 4500L, 800L, 9000L),
                DoubleColumn.create("bytes_processed", 3 * 1048576.0, 5 * 1048576.0, 1048576.0, 0),
                DoubleColumn.create("throughput_bytes_per_s", 2.5 * 1048576, 1.1 * 1048576, 1048576, 0));
    }

    static void assertSvg(Chart chart, String... texts) {
        assertTrue(chart.svg().startsWith("<svg"), chart.svg().substring(0, 80));
        for (String text : texts) {
            assertTrue(chart.svg().contains(text), "no '" + text + "' in " + chart.title());
        }
    }

    @Test
    void theFourRunChartsDrawTheirSeriesAndAxes() {
        Table runs = runs();
        assertSvg(Charts.throughputOverTime(runs), "Throughput per run", "run start (UTC)", "alpha", "beta");
        assertSvg(Charts.durationDistribution(runs), "duration (s)");
        assertSvg(Charts.bytesPerPipeline(runs), "alpha", "beta", "&lt;beta&gt;");
        assertSvg(Charts.successRatePerDay(runs), "2025-10-01", "2025-10-02", "Success rate per day");
    }

    @Test
    void anyTableChartsByTimeNumberOrCategory() {
        Table runs = runs();
        assertSvg(Charts.chart(runs, "started_at", "duration_ms"), "duration_ms by started_at");
        assertSvg(Charts.chart(runs, "duration_ms", "bytes_processed"), "bytes_processed by duration_ms");
        assertSvg(Charts.chart(runs, "pipeline", "duration_ms", "bytes_processed"), "alpha", "duration_ms");
    }

    @Test
    void wrongColumnsAreNamed() {
        var missing = assertThrows(InvalidArgumentException.class, () -> Charts.chart(runs(), "nope", "duration_ms"));
        assertTrue(missing.getMessage().contains("'nope'"), missing.getMessage());
        var text = assertThrows(InvalidArgumentException.class, () -> Charts.chart(runs(), "pipeline", "status"));
        assertTrue(text.getMessage().contains("'status'"), text.getMessage());
        assertThrows(InvalidArgumentException.class, () -> Charts.chart(runs(), "pipeline"));
    }
}
