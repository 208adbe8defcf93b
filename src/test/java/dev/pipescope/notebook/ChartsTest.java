package dev.pipescope.notebook;

import dev.pipescope.error.InvalidArgumentException;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    /** The demo's pipeline names: long and short ones, as a notebook shows them. */
    static final String[] PIPELINES = {"archive-logs", "compress-backups", "encrypt-metrics", "ship-images",
            "transform-events", "seal-reports", "pack-dumps", "mirror-traces", "compress-logs", "encrypt-backups",
            "archive-audit-trail", "ship-snapshots"};

    /** {@code count} runs of the twelve pipelines over {@code days} days from 2025-10-01. */
    static Table manyRuns(int count, int days) {
        Random random = new Random(42);
        StringColumn pipeline = StringColumn.create("pipeline");
        StringColumn status = StringColumn.create("status");
        InstantColumn started = InstantColumn.create("started_at");
        DoubleColumn throughput = DoubleColumn.create("throughput_bytes_per_s");
        LongColumn duration = LongColumn.create("duration_ms");
        Instant start = Instant.parse("2025-10-01T00:00:00Z");
        long span = Duration.ofDays(days).toMillis();
        for (int i = 0; i < count; i++) {
            int p = random.nextInt(PIPELINES.length);
            pipeline.append(PIPELINES[p]);
            status.append(random.nextInt(12) == 0 ? "failed" : "succeeded");
            started.append(start.plusMillis((long) (random.nextDouble() * span)));
            throughput.append((80 + 20 * p + random.nextGaussian() * 15) * 1048576);
            duration.append(500 + random.nextInt(9_000));
        }
        return Table.create("runs", pipeline, status, started, throughput, duration);
    }

    /** The text of every {@code <text>} element, in document order. */
    static List<String> texts(Chart chart) {
        Matcher m = Pattern.compile("<text[^>]*>([^<]*)</text>").matcher(chart.svg());
        List<String> texts = new ArrayList<>();
        while (m.find()) {
            texts.add(m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"));
        }
        return texts;
    }

    @Test
    void dateAxesShowWholeDistinctDates() {
        Table runs = manyRuns(400, 8);
        List<String> dates = texts(Charts.successRatePerDay(runs)).stream().filter(t -> t.matches("\\d{4}-.*")).toList();
        assertTrue(dates.size() >= 4, "too few date labels: " + dates);
        assertEquals(dates.size(), new HashSet<>(dates).size(), "labels repeat: " + dates);
        for (String date : dates) {
            LocalDate day = LocalDate.parse(date);
            assertFalse(day.isBefore(LocalDate.of(2025, 9, 30)) || day.isAfter(LocalDate.of(2025, 10, 10)), date);
        }
        List<String> times = texts(Charts.throughputOverTime(runs)).stream().filter(t -> t.matches("\\d.*\\d")).toList();
        assertTrue(times.stream().filter(t -> t.startsWith("2025-10-")).count() >= 4, "no date ticks: " + times);
    }

    @Test
    void categoryLabelsShowWhole() {
        Table stats = Table.create("stats", StringColumn.create("pipeline", PIPELINES),
                DoubleColumn.create("p95_duration_ms", java.util.stream.IntStream.range(0, PIPELINES.length)
                        .mapToDouble(i -> 1000 + 250 * i).toArray()));
        Chart chart = Charts.chart(stats, "pipeline", "p95_duration_ms");
        List<String> texts = texts(chart);
        for (String name : PIPELINES) {
            assertTrue(texts.contains(name), "'" + name + "' is not a whole label: " + texts);
        }
        assertTrue(texts.stream().noneMatch(t -> t.endsWith("...") || t.endsWith("…")), texts.toString());
        List<String> bytes = texts(Charts.bytesPerPipeline(manyRuns(200, 2).addColumns(
                DoubleColumn.create("bytes_processed", new Random(1).doubles(200, 1e6, 1e9).toArray()))));
        for (String name : PIPELINES) {
            assertTrue(bytes.contains(name), "'" + name + "' is not a whole label: " + bytes);
        }
    }

    static final Pattern COLOUR = Pattern.compile("(stroke|fill): ?rgb\\((\\d+),(\\d+),(\\d+)\\)");

    static Set<String> colours(Chart chart, String property) {
        Matcher m = COLOUR.matcher(chart.svg());
        Set<String> found = new HashSet<>();
        while (m.find()) {
            if (m.group(1).equals(property)) {
                found.add(m.group(2) + "," + m.group(3) + "," + m.group(4));
            }
        }
        return found;
    }

    @Test
    void seriesTakeTheColourBlindSafePaletteOnATransparentBackground() {
        Chart chart = Charts.throughputOverTime(manyRuns(1_200, 20));
        Set<String> palette = PALETTE;
        Set<String> ink = Set.of("119,119,119", "128,128,128");
        Set<String> strokes = colours(chart, "stroke");
        strokes.removeAll(ink);
        assertEquals(palette, strokes, "series colours");
        // nothing paints a background: the only fills are text ink and the legend's series marks
        Set<String> fills = colours(chart, "fill");
        fills.removeAll(ink);
        fills.removeAll(palette);
        assertEquals(Set.of(), fills, "fills besides ink and series");
        assertFalse(chart.svg().contains("rgb(255,255,255)") || chart.svg().contains("rgb(192,192,192)"),
                "a white or grey background");
        // twelve series: the second six are dashed
        assertTrue(chart.svg().contains("stroke-dasharray"), "the 7th to 12th series look like the first six");
    }

    @Test
    void aMillionRunsMakeASmallChartOfMeansAndBands() {
        Chart hundredThousand = Charts.throughputOverTime(manyRuns(100_000, 28));
        Chart million = Charts.throughputOverTime(manyRuns(1_000_000, 84));
        assertTrue(hundredThousand.svg().length() < 300_000, hundredThousand.svg().length() + " characters");
        assertTrue(million.svg().length() < 300_000, million.svg().length() + " characters");
        assertTrue(texts(million).stream().anyMatch(t -> t.contains("5th to 95th percentile") && t.contains("1,000,000")),
                texts(million).toString());
        // a band per pipeline: translucent fills in the series' colours
        assertEquals(PALETTE, bands(million), "band colours");
        Chart few = Charts.throughputOverTime(manyRuns(1_000, 28));
        assertEquals(Set.of(), bands(few), "a small table draws every run");
    }

    static final Set<String> PALETTE = Set.of("0,114,178", "230,159,0", "0,158,115", "213,94,0", "86,180,233",
            "204,121,167");

    static Set<String> bands(Chart chart) {
        Matcher m = Pattern.compile("fill:rgb\\((\\d+),(\\d+),(\\d+)\\);fill-opacity:0\\.18").matcher(chart.svg());
        Set<String> found = new HashSet<>();
        while (m.find()) {
            found.add(m.group(1) + "," + m.group(2) + "," + m.group(3));
        }
        return found;
    }

    @Test
    void meansAndPercentilesArePerBucket() {
        Charts.Points points = new Charts.Points();
        for (int i = 1; i <= 100; i++) {
            points.add(10, i);
            points.add(25, 1000);
        }
        double[][] rows = Charts.aggregate(points, 0, 20);
        assertEquals(2, rows.length);
        assertEquals(10, rows[0][0]);
        assertEquals(50.5, rows[0][1], 1e-9);
        assertEquals(5.95, rows[0][2], 1e-9);
        assertEquals(95.05, rows[0][3], 1e-9);
        assertEquals(30, rows[1][0]);
        assertEquals(1000, rows[1][1], 1e-9);
    }

    static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void timeBucketBarsAreStackedFlatAndReadable() {
        // 42 hourly buckets as SQL writes them: strftime('%Y-%m-%d %H:00', ...)
        StringColumn hour = StringColumn.create("hour");
        StringColumn status = StringColumn.create("status");
        DoubleColumn runs = DoubleColumn.create("runs");
        DoubleColumn failed = DoubleColumn.create("failed");
        Instant start = Instant.parse("2025-10-30T06:00:00Z");
        for (int h = 0; h < 42; h++) {
            hour.append(start.plus(Duration.ofHours(h)).toString().substring(0, 16).replace('T', ' '));
            runs.append(20 + h % 7);
            failed.append(h % 5);
        }
        Table buckets = Table.create("buckets", hour, runs, failed);
        Chart chart = Charts.chart(buckets, "hour", "runs", "failed");
        assertEquals(0, count(chart.svg(), "<linearGradient"), "gradients");
        List<String> ticks = texts(chart).stream().filter(t -> t.matches("\\d\\d-\\d\\d \\d\\d:\\d\\d")).toList();
        assertTrue(ticks.size() >= 4, "time ticks: " + texts(chart));
        assertEquals(ticks.size(), new HashSet<>(ticks).size(), ticks.toString());

        Table table = manyRuns(3_000, 2);
        Chart byStatus = Charts.statusOverTime(table);
        assertEquals(0, count(byStatus.svg(), "<linearGradient"));
        assertTrue(byStatus.title().startsWith("Runs per hour by status"), byStatus.title());
        assertTrue(texts(byStatus).containsAll(List.of("failed", "succeeded")), texts(byStatus).toString());
        // failed in vermillion, succeeded in bluish green
        assertTrue(colours(byStatus, "fill").containsAll(Set.of("213,94,0", "0,158,115")), colours(byStatus, "fill").toString());
        assertTrue(byStatus.svg().length() < 100_000, byStatus.svg().length() + " characters");
    }

    @Test
    void aChartDrawsAgainAtAnotherSize() {
        Chart chart = Charts.throughputOverTime(runs());
        assertEquals(720, chart.width());
        Chart big = chart.size(1200, 500);
        assertEquals(1200, big.width());
        assertEquals(500, big.height());
        assertTrue(big.svg().contains("width='1200'") || big.svg().contains("width=\"1200\""), big.svg().substring(0, 200));
        assertEquals(chart.title(), big.title());
        assertThrows(InvalidArgumentException.class, () -> chart.size(20, 500));
        Chart fixed = new Chart("box", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"100\"><rect width=\"10\" height=\"10\"/></svg>");
        Chart scaled = fixed.size(400, 200);
        assertTrue(scaled.svg().contains("viewBox=\"0 0 200 100\""), scaled.svg());
        assertEquals(400, scaled.width());
    }

    @Test
    void everyChartIsAlsoATransparentPng(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Chart chart = Charts.throughputOverTime(runs());
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(chart.png()));
        assertEquals(chart.width() * Chart.PNG_SCALE, image.getWidth());
        assertEquals(chart.height() * Chart.PNG_SCALE, image.getHeight());
        assertEquals(0, image.getRGB(2, 2) >>> 24, "the corner is not transparent");
        int drawn = 0;
        for (int x = 0; x < image.getWidth(); x += 3) {
            for (int y = 0; y < image.getHeight(); y += 3) {
                drawn += (image.getRGB(x, y) >>> 24) > 0 ? 1 : 0;
            }
        }
        assertTrue(drawn > 500, "hardly anything drawn: " + drawn + " pixels");
        Path png = chart.save(dir.resolve("chart.png"));
        assertTrue(java.util.Arrays.equals(chart.png(), Files.readAllBytes(png)));
        assertTrue(Files.readString(chart.save(dir.resolve("chart.svg"))).startsWith("<svg"));
        assertThrows(InvalidArgumentException.class, () -> chart.save(dir.resolve("chart.pdf")));
        assertFalse(Files.exists(dir.resolve("chart.pdf")));
    }
}
