package dev.pipescope.notebook;

import dev.pipescope.error.InvalidArgumentException;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.DateTickUnit;
import org.jfree.chart.axis.DateTickUnitType;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.TickUnits;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.StackedXYBarRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.time.SimpleTimePeriod;
import org.jfree.data.time.TimeTableXYDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Paint;
import java.awt.Rectangle;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.text.SimpleDateFormat;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import java.util.TreeMap;

/**
 * Charts of run tables, drawn by JFreeChart into SVG (no network, no browser library).
 *
 * <p>Every chart has a transparent background, mid-grey text, axes and gridlines (they read on a
 * light and on a dark notebook theme alike) and takes its series colours from the Okabe–Ito
 * colour-blind-safe palette, without its black and yellow (invisible on a dark and on a light background);
 * past six series the colours repeat dashed, then dotted. Time axes are UTC with ISO dates, as many
 * as fit. A time chart of more than {@link #MAX_POINTS} points draws per series the mean of each
 * time bucket (minute to week, at most {@link #MAX_BUCKETS} of them) with a band from its 5th to 95th
 * percentile, so a million runs make a chart of under 300 KB. {@link Chart#size(int, int)} draws a
 * chart again at another size.
 */
public final class Charts {

    static final int WIDTH = 720;
    static final int HEIGHT = 360;
    /** Above this many points a time or XY chart draws bucket means and percentile bands, not each point. */
    static final int MAX_POINTS = 2_000;
    /** The most buckets an aggregated chart draws along its x axis. */
    static final int MAX_BUCKETS = 240;
    private static final double MIB = 1024.0 * 1024.0;
    private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

    /** Text, axes and ticks: a grey with about 4.3:1 contrast on white and on #111. */
    static final Color INK = new Color(0x77, 0x77, 0x77);
    static final Color GRID = new Color(128, 128, 128, 80);
    /** Okabe–Ito without black and yellow. */
    static final List<Color> PALETTE = List.of(new Color(0x00, 0x72, 0xB2), new Color(0xE6, 0x9F, 0x00),
            new Color(0x00, 0x9E, 0x73), new Color(0xD5, 0x5E, 0x00), new Color(0x56, 0xB4, 0xE9),
            new Color(0xCC, 0x79, 0xA7));
    private static final Map<String, Color> STATUS_COLOURS = Map.ofEntries(
            Map.entry("succeeded", PALETTE.get(2)), Map.entry("success", PALETTE.get(2)),
            Map.entry("completed", PALETTE.get(2)), Map.entry("failed", PALETTE.get(3)),
            Map.entry("timeout", PALETTE.get(5)), Map.entry("cancelled", new Color(0x99, 0x99, 0x99)),
            Map.entry("running", PALETTE.get(4)), Map.entry("pending", PALETTE.get(1)),
            Map.entry("retried", PALETTE.get(1)));
    private static final Font TEXT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);

    /** Time buckets an aggregated chart chooses from, the smallest that gives at most MAX_BUCKETS. */
    private static final List<Duration> BUCKETS = List.of(Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(3), Duration.ofHours(6),
            Duration.ofHours(12), Duration.ofDays(1), Duration.ofDays(7));

    private Charts() {
    }

    // ---- the run charts ----

    /**
     * Throughput (MiB/s) of each finished run over its start time, one series per pipeline; above
     * {@link #MAX_POINTS} runs, the mean per time bucket with a p5–p95 band.
     *
     * @throws InvalidArgumentException when the table lacks {@code pipeline}, {@code started_at} or
     *                                  {@code throughput_bytes_per_s}
     */
    public static Chart throughputOverTime(Table runs) {
        require(runs, "pipeline", "started_at", "throughput_bytes_per_s");
        InstantColumn started = runs.instantColumn("started_at");
        NumericColumn<?> throughput = runs.numberColumn("throughput_bytes_per_s");
        Column<?> pipeline = runs.column("pipeline");
        Map<String, Points> series = new TreeMap<>();
        for (int row = 0; row < runs.rowCount(); row++) {
            if (started.isMissing(row) || throughput.isMissing(row) || throughput.getDouble(row) <= 0) {
                continue;
            }
            series.computeIfAbsent(String.valueOf(pipeline.get(row)), k -> new Points())
                    .add(started.get(row).toEpochMilli(), throughput.getDouble(row) / MIB);
        }
        return timeLines("Throughput per run", "run start (UTC)", "MiB/s", series);
    }

    /** Histogram of run durations in seconds. */
    public static Chart durationDistribution(Table runs) {
        require(runs, "duration_ms");
        NumericColumn<?> duration = runs.numberColumn("duration_ms");
        double[] seconds = java.util.stream.IntStream.range(0, runs.rowCount()).filter(r -> !duration.isMissing(r))
                .mapToDouble(r -> duration.getDouble(r) / 1000.0).toArray();
        if (seconds.length == 0) {
            throw new InvalidArgumentException("no run in the table has a duration to chart");
        }
        int bins = Math.min(40, Math.max(5, (int) Math.sqrt(seconds.length)));
        String title = "Run duration distribution";
        return Chart.drawn(title, WIDTH, HEIGHT, (w, h) -> {
            HistogramDataset data = new HistogramDataset();
            data.addSeries("runs", seconds, bins);
            XYBarRenderer bars = new XYBarRenderer(0.05);
            XYPlot plot = new XYPlot(data, numberAxis("duration (s)"), numberAxis("runs"), bars);
            return svg(new JFreeChart(title, TITLE, plot, false), w, h);
        });
    }

    /** Total bytes processed (MiB) per pipeline, a bar each, names whole. */
    public static Chart bytesPerPipeline(Table runs) {
        require(runs, "pipeline", "bytes_processed");
        Map<String, Double> totals = new TreeMap<>();
        NumericColumn<?> bytes = runs.numberColumn("bytes_processed");
        Column<?> pipeline = runs.column("pipeline");
        for (int row = 0; row < runs.rowCount(); row++) {
            if (!bytes.isMissing(row)) {
                totals.merge(String.valueOf(pipeline.get(row)), bytes.getDouble(row) / MIB, Double::sum);
            }
        }
        Map<String, Map<String, Double>> series = Map.of("MiB processed", totals);
        return categoryBars("Bytes processed per pipeline", "pipeline", "MiB", List.copyOf(totals.keySet()), series,
                false, true);
    }

    /** Share of finished runs that succeeded, per day (UTC), on a date axis. */
    public static Chart successRatePerDay(Table runs) {
        require(runs, "status", "started_at");
        Map<LocalDate, long[]> days = new TreeMap<>();
        InstantColumn started = runs.instantColumn("started_at");
        Column<?> status = runs.column("status");
        for (int row = 0; row < runs.rowCount(); row++) {
            String s = String.valueOf(status.get(row)).toLowerCase(Locale.ROOT);
            if (started.isMissing(row) || s.equals("running") || s.equals("pending")) {
                continue;
            }
            long[] counts = days.computeIfAbsent(LocalDate.ofInstant(started.get(row), ZoneOffset.UTC), d -> new long[2]);
            counts[1]++;
            if (isSuccess(s)) {
                counts[0]++;
            }
        }
        String title = "Success rate per day (UTC)";
        return Chart.drawn(title, WIDTH, HEIGHT, (w, h) -> {
            XYSeries rate = new XYSeries("success rate", true, true);
            days.forEach((day, c) -> rate.add(day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli()
                    + Duration.ofHours(12).toMillis(), 100.0 * c[0] / c[1]));
            XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, true);
            line.setSeriesShape(0, new java.awt.geom.Ellipse2D.Double(-3, -3, 6, 6));
            NumberAxis percent = numberAxis("% of finished runs");
            percent.setRange(0, 100.5);
            DateAxis dayAxis = dateAxis("day (UTC)", true);
            if (!days.isEmpty()) {
                // whole days, so every tick is a day boundary even for a day or two of runs
                TreeMap<LocalDate, long[]> sorted = new TreeMap<>(days);
                dayAxis.setRange(new java.util.Date(sorted.firstKey().atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli()),
                        new java.util.Date(sorted.lastKey().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli()));
            }
            XYPlot plot = new XYPlot(new XYSeriesCollection(rate), dayAxis, percent, line);
            styleSeries(line, 1);
            return svg(new JFreeChart(title, TITLE, plot, false), w, h);
        });
    }

    /**
     * Runs started per time bucket (1, 5 or 15 minutes, 1, 3, 6 or 12 hours, a day or a week: the smallest
     * that gives at most 60 bars, named in the title), stacked by status, on a date axis.
     *
     * @throws InvalidArgumentException when the table lacks {@code status} or {@code started_at}, or no
     *                                  run in it has a start time
     */
    public static Chart statusOverTime(Table runs) {
        require(runs, "status", "started_at");
        InstantColumn started = runs.instantColumn("started_at");
        Column<?> status = runs.column("status");
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (int row = 0; row < runs.rowCount(); row++) {
            if (!started.isMissing(row)) {
                long t = started.get(row).toEpochMilli();
                first = Math.min(first, t);
                last = Math.max(last, t);
            }
        }
        if (first == Long.MAX_VALUE) {
            throw new InvalidArgumentException("no run in table '" + runs.name() + "' has a start time to chart");
        }
        Duration bucket = bucketFor(last - first, 60);
        Map<String, Map<Long, Double>> counts = new TreeMap<>();
        for (int row = 0; row < runs.rowCount(); row++) {
            if (!started.isMissing(row)) {
                long start = floor(started.get(row).toEpochMilli(), bucket);
                counts.computeIfAbsent(String.valueOf(status.get(row)).toLowerCase(Locale.ROOT), k -> new TreeMap<>())
                        .merge(start, 1.0, Double::sum);
            }
        }
        return timeBars("Runs per " + bucketName(bucket) + " by status", "run start (UTC)", "runs", counts,
                bucket.toMillis());
    }

    // ---- any table ----

    /**
     * Charts any table's columns: {@code y} columns (numeric) against {@code x}. An instant column makes
     * a time series, a numeric one an XY line, text that reads as dates or times (as SQL's
     * {@code strftime} writes them) bars on a date axis, anything else bars with x as the category.
     *
     * @throws InvalidArgumentException when a column is missing, a y column is not numeric or no y is given
     */
    public static Chart chart(Table table, String x, String... y) {
        checkColumns(table, x, y);
        Column<?> xs = table.column(x);
        String title = String.join(", ", y) + " by " + x;
        if (xs instanceof InstantColumn times) {
            Map<String, Points> series = new LinkedHashMap<>();
            for (String name : y) {
                NumericColumn<?> ys = numeric(table, name);
                Points points = new Points();
                for (int row = 0; row < table.rowCount(); row++) {
                    if (!times.isMissing(row) && !ys.isMissing(row)) {
                        points.add(times.get(row).toEpochMilli(), ys.getDouble(row));
                    }
                }
                series.put(name, points);
            }
            return timeLines(title, x + " (UTC)", y.length == 1 ? y[0] : null, series);
        }
        if (xs instanceof NumericColumn<?> numbers) {
            Map<String, Points> series = new LinkedHashMap<>();
            for (String name : y) {
                NumericColumn<?> ys = numeric(table, name);
                Points points = new Points();
                for (int row = 0; row < table.rowCount(); row++) {
                    if (!numbers.isMissing(row) && !ys.isMissing(row)) {
                        points.add(numbers.getDouble(row), ys.getDouble(row));
                    }
                }
                series.put(name, points);
            }
            return lines(title, x, y.length == 1 ? y[0] : null, series, false);
        }
        return barChart(table, x, y);
    }

    /**
     * Bars of the {@code y} columns over {@code x}, stacked when there are several: on a date axis when
     * x is an instant column or text that reads as dates or times, else one bar per distinct x (values
     * of the same x summed), laid sideways with whole labels when upright ones would not fit.
     *
     * @throws InvalidArgumentException when a column is missing, a y column is not numeric or no y is given
     */
    public static Chart barChart(Table table, String x, String... y) {
        checkColumns(table, x, y);
        Column<?> xs = table.column(x);
        String title = String.join(", ", y) + " by " + x;
        Optional<long[]> times = times(xs);
        if (times.isPresent()) {
            long[] at = times.get();
            Map<String, Map<Long, Double>> series = new LinkedHashMap<>();
            long step = Long.MAX_VALUE;
            long[] sorted = Arrays.stream(at).filter(t -> t != Long.MIN_VALUE).sorted().distinct().toArray();
            for (int i = 1; i < sorted.length; i++) {
                step = Math.min(step, sorted[i] - sorted[i - 1]);
            }
            for (String name : y) {
                NumericColumn<?> ys = numeric(table, name);
                Map<Long, Double> values = new TreeMap<>();
                for (int row = 0; row < table.rowCount(); row++) {
                    if (at[row] != Long.MIN_VALUE && !ys.isMissing(row)) {
                        values.merge(at[row], ys.getDouble(row), Double::sum);
                    }
                }
                series.put(name, values);
            }
            long width = step == Long.MAX_VALUE ? Duration.ofHours(1).toMillis() : step;
            return timeBars(title, x + " (UTC)", y.length == 1 ? y[0] : null, series, width);
        }
        Map<String, Map<String, Double>> series = new LinkedHashMap<>();
        List<String> categories = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String name : y) {
            NumericColumn<?> ys = numeric(table, name);
            Map<String, Double> sums = new LinkedHashMap<>();
            for (int row = 0; row < table.rowCount(); row++) {
                if (!ys.isMissing(row)) {
                    String category = xs.isMissing(row) ? "(none)" : String.valueOf(xs.get(row));
                    sums.merge(category, ys.getDouble(row), Double::sum);
                    if (seen.add(category)) {
                        categories.add(category);
                    }
                }
            }
            series.put(name, sums);
        }
        return categoryBars(title, x, y.length == 1 ? y[0] : null, categories, series, y.length > 1, false);
    }

    // ---- drawing ----

    /** x/y pairs of one series, in a growable primitive buffer (a million runs without boxing). */
    static final class Points {
        double[] xs = new double[16];
        double[] ys = new double[16];
        int size;

        void add(double x, double y) {
            if (size == xs.length) {
                xs = Arrays.copyOf(xs, size * 2);
                ys = Arrays.copyOf(ys, size * 2);
            }
            xs[size] = x;
            ys[size] = y;
            size++;
        }
    }

    private static Chart timeLines(String title, String xLabel, String yLabel, Map<String, Points> series) {
        return lines(title, xLabel, yLabel, series, true);
    }

    /** Lines of each point, or above MAX_POINTS in all, bucket means with p5–p95 bands. */
    private static Chart lines(String title, String xLabel, String yLabel, Map<String, Points> series, boolean time) {
        long total = series.values().stream().mapToLong(p -> p.size).sum();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Points p : series.values()) {
            for (int i = 0; i < p.size; i++) {
                min = Math.min(min, p.xs[i]);
                max = Math.max(max, p.xs[i]);
            }
        }
        boolean aggregate = total > MAX_POINTS;
        double bucket;
        String subtitle;
        if (!aggregate) {
            bucket = 0;
            subtitle = null;
        } else if (time) {
            Duration d = bucketFor((long) (max - min), MAX_BUCKETS);
            bucket = d.toMillis();
            subtitle = "mean per " + bucketName(d) + ", band from 5th to 95th percentile; "
                    + String.format(Locale.ROOT, "%,d", total) + " points";
        } else {
            bucket = max > min ? (max - min) / MAX_BUCKETS : 1;
            subtitle = "mean per " + Formats.number(bucket) + " of " + xLabel + ", band from 5th to 95th percentile; "
                    + String.format(Locale.ROOT, "%,d", total) + " points";
        }
        // aggregate once; a resize only draws again
        Map<String, double[][]> bands = new LinkedHashMap<>();
        if (aggregate) {
            double origin = time ? 0 : min;
            series.forEach((name, points) -> bands.put(name, aggregate(points, origin, bucket)));
        }
        boolean legend = series.size() > 1;
        return Chart.drawn(title, WIDTH, HEIGHT, (w, h) -> {
            ValueAxis xAxis = time ? dateAxis(xLabel) : numberAxis(xLabel);
            NumberAxis yAxis = numberAxis(yLabel);
            XYPlot plot;
            if (aggregate) {
                YIntervalSeriesCollection data = new YIntervalSeriesCollection();
                bands.forEach((name, rows) -> {
                    YIntervalSeries s = new YIntervalSeries(name, false, true);
                    for (double[] r : rows) {
                        s.add(r[0], r[1], r[2], r[3]);
                    }
                    data.addSeries(s);
                });
                DeviationRenderer renderer = new DeviationRenderer(true, false);
                renderer.setAlpha(0.18f);
                plot = new XYPlot(data, xAxis, yAxis, renderer);
                styleSeries(renderer, data.getSeriesCount());
            } else {
                XYSeriesCollection data = new XYSeriesCollection();
                for (Map.Entry<String, Points> e : series.entrySet()) {
                    XYSeries s = new XYSeries(e.getKey(), true, true);
                    Points p = e.getValue();
                    for (int i = 0; i < p.size; i++) {
                        s.add(p.xs[i], p.ys[i], false);
                    }
                    data.addSeries(s);
                }
                XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
                renderer.setDrawSeriesLineAsPath(true);
                plot = new XYPlot(data, xAxis, yAxis, renderer);
                styleSeries(renderer, data.getSeriesCount());
                for (int i = 0; i < data.getSeriesCount(); i++) {
                    // a sparse series shows its points, a single run included
                    boolean sparse = data.getItemCount(i) <= 60;
                    renderer.setSeriesShapesVisible(i, sparse);
                    renderer.setSeriesShape(i, new java.awt.geom.Ellipse2D.Double(-2.5, -2.5, 5, 5));
                }
            }
            JFreeChart chart = new JFreeChart(title, TITLE, plot, legend);
            if (subtitle != null) {
                chart.addSubtitle(new TextTitle(subtitle, TEXT));
            }
            return svg(chart, w, h);
        });
    }

    /** Per bucket: {x centre, mean, p5, p95}, buckets in order. */
    static double[][] aggregate(Points points, double origin, double bucket) {
        TreeMap<Long, double[]> values = new TreeMap<>();
        Map<Long, Integer> counts = new java.util.HashMap<>();
        long[] keys = new long[points.size];
        for (int i = 0; i < points.size; i++) {
            keys[i] = (long) Math.floor((points.xs[i] - origin) / bucket);
            counts.merge(keys[i], 1, Integer::sum);
        }
        counts.forEach((k, n) -> values.put(k, new double[n]));
        Map<Long, Integer> filled = new java.util.HashMap<>();
        for (int i = 0; i < points.size; i++) {
            int at = filled.merge(keys[i], 1, Integer::sum) - 1;
            values.get(keys[i])[at] = points.ys[i];
        }
        double[][] rows = new double[values.size()][];
        int r = 0;
        for (Map.Entry<Long, double[]> e : values.entrySet()) {
            double[] v = e.getValue();
            Arrays.sort(v);
            double mean = 0;
            for (double d : v) {
                mean += d;
            }
            mean /= v.length;
            rows[r++] = new double[] {origin + (e.getKey() + 0.5) * bucket, mean, percentile(v, 0.05),
                    percentile(v, 0.95)};
        }
        return rows;
    }

    /** Linear interpolation between the closest ranks of a sorted array. */
    static double percentile(double[] sorted, double p) {
        double rank = p * (sorted.length - 1);
        int low = (int) Math.floor(rank);
        int high = Math.min(sorted.length - 1, low + 1);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }

    private static Chart timeBars(String title, String xLabel, String yLabel, Map<String, Map<Long, Double>> series,
                                  long bucketMs) {
        boolean legend = series.size() > 1;
        return Chart.drawn(title, WIDTH, HEIGHT, (w, h) -> {
            TimeTableXYDataset data = new TimeTableXYDataset(UTC, Locale.ROOT);
            series.forEach((name, values) -> values.forEach((start, value) ->
                    data.add(new SimpleTimePeriod(start, start + bucketMs), value, name, false)));
            StackedXYBarRenderer bars = new StackedXYBarRenderer(0.1);
            bars.setBarPainter(new StandardXYBarPainter());
            bars.setShadowVisible(false);
            bars.setDrawBarOutline(false);
            XYPlot plot = new XYPlot(data, dateAxis(xLabel), numberAxis(yLabel), bars);
            styleSeries(bars, data.getSeriesCount());
            for (int i = 0; i < data.getSeriesCount(); i++) {
                Color status = STATUS_COLOURS.get(String.valueOf(data.getSeriesKey(i)));
                if (status != null) {
                    bars.setSeriesPaint(i, status);
                }
            }
            return svg(new JFreeChart(title, TITLE, plot, legend), w, h);
        });
    }

    /**
     * Bars per category: upright when every label fits under its bar, else sideways, the chart as tall
     * as the bars need, so every label shows whole (wrapped onto a second line only past 40% of the width).
     */
    private static Chart categoryBars(String title, String xLabel, String yLabel, List<String> categories,
                                      Map<String, Map<String, Double>> series, boolean legend, boolean sideways) {
        int longest = 0;
        FontMetrics metrics = metrics(TEXT);
        for (String category : categories) {
            longest = Math.max(longest, metrics.stringWidth(category));
        }
        int widest = longest;
        return Chart.drawn(title, WIDTH, barHeight(categories.size(), widest, sideways), (w, h) -> {
            DefaultCategoryDataset data = new DefaultCategoryDataset();
            series.forEach((name, values) -> {
                for (String category : categories) {
                    Double v = values.get(category);
                    if (v != null) {
                        data.addValue(v, name, category);
                    }
                }
            });
            boolean flat = sideways || uprightWontFit(categories.size(), widest, w);
            BarRenderer bars = series.size() > 1 ? new StackedBarRenderer() : new BarRenderer();
            bars.setBarPainter(new StandardBarPainter());
            bars.setShadowVisible(false);
            bars.setDrawBarOutline(false);
            bars.setMaximumBarWidth(0.08);
            CategoryAxis axis = new CategoryAxis(xLabel);
            CategoryPlot plot = new CategoryPlot(data, axis, numberAxis(yLabel), bars);
            plot.setOrientation(flat ? PlotOrientation.HORIZONTAL : PlotOrientation.VERTICAL);
            // values along the bottom, as in every other chart
            plot.setRangeAxisLocation(flat ? org.jfree.chart.axis.AxisLocation.BOTTOM_OR_RIGHT
                    : org.jfree.chart.axis.AxisLocation.BOTTOM_OR_LEFT);
            axis.setMaximumCategoryLabelWidthRatio(flat ? 0.4f : 1.0f);
            axis.setMaximumCategoryLabelLines(2);
            axis.setCategoryLabelPositions(CategoryLabelPositions.STANDARD);
            styleSeries(bars, data.getRowCount());
            return svg(new JFreeChart(title, TITLE, plot, legend), w, h);
        });
    }

    private static boolean uprightWontFit(int count, int widest, int width) {
        return count * (widest + 8) > width - 100;
    }

    /** Sideways bars need about 20 px a bar; upright ones the default height. */
    private static int barHeight(int count, int widest, boolean sideways) {
        boolean flat = sideways || uprightWontFit(count, widest, WIDTH);
        return flat ? Math.max(HEIGHT, Math.min(4_000, 110 + 20 * count)) : HEIGHT;
    }

    private static FontMetrics metrics(Font font) {
        java.awt.Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB).createGraphics();
        try {
            return g.getFontMetrics(font);
        } finally {
            g.dispose();
        }
    }

    /** The chart in our look, as SVG of {@code width} × {@code height} pixels. */
    static String svg(JFreeChart chart, int width, int height) {
        style(chart);
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        // one decimal is a tenth of a pixel: enough for any screen, and a third smaller than the default
        g.setGeomDoubleConverter(Charts::tenth);
        chart.draw(g, new Rectangle(0, 0, width, height));
        return g.getSVGElement();
    }

    /** A coordinate to a tenth of a pixel, without trailing zeros: {@code 12}, {@code 12.3}, {@code -0.5}. */
    static String tenth(double value) {
        long tenths = Math.round(value * 10);
        long whole = tenths / 10;
        long fraction = Math.abs(tenths % 10);
        String sign = tenths < 0 && whole == 0 ? "-" : "";
        return fraction == 0 ? Long.toString(whole) : sign + whole + "." + fraction;
    }

    /** Transparent background, grey ink, translucent grid, flat legend: reads on light and dark themes. */
    static void style(JFreeChart chart) {
        chart.setAntiAlias(true);
        chart.setBackgroundPaint(null);
        chart.setBorderVisible(false);
        if (chart.getTitle() != null) {
            chart.getTitle().setPaint(INK);
            chart.getTitle().setFont(TITLE);
        }
        for (int i = 0; i < chart.getSubtitleCount(); i++) {
            if (chart.getSubtitle(i) instanceof TextTitle text) {
                text.setPaint(INK);
            } else if (chart.getSubtitle(i) instanceof LegendTitle legend) {
                legend.setBackgroundPaint(null);
                legend.setItemPaint(INK);
                legend.setItemFont(TEXT);
                legend.setFrame(BlockBorder.NONE);
                legend.setPosition(RectangleEdge.BOTTOM);
            }
        }
        Plot plot = chart.getPlot();
        plot.setBackgroundPaint(null);
        plot.setOutlineVisible(false);
        plot.setInsets(new RectangleInsets(8, 8, 8, 16));
        if (plot instanceof XYPlot xy) {
            xy.setDomainGridlinePaint(GRID);
            xy.setRangeGridlinePaint(GRID);
            xy.setDomainGridlineStroke(new BasicStroke(0.8f));
            xy.setRangeGridlineStroke(new BasicStroke(0.8f));
            styleAxis(xy.getDomainAxis());
            styleAxis(xy.getRangeAxis());
        } else if (plot instanceof CategoryPlot category) {
            category.setRangeGridlinePaint(GRID);
            category.setRangeGridlineStroke(new BasicStroke(0.8f));
            category.setDomainGridlinesVisible(false);
            styleAxis(category.getDomainAxis());
            styleAxis(category.getRangeAxis());
        }
    }

    private static void styleAxis(Axis axis) {
        axis.setLabelPaint(INK);
        axis.setTickLabelPaint(INK);
        axis.setAxisLinePaint(INK);
        axis.setTickMarkPaint(INK);
        axis.setLabelFont(TEXT);
        axis.setTickLabelFont(TEXT);
    }

    /** Series i: palette colour i mod 6; solid, then dashed, then dotted past each six. */
    static void styleSeries(org.jfree.chart.renderer.AbstractRenderer renderer, int count) {
        for (int i = 0; i < count; i++) {
            Paint paint = PALETTE.get(i % PALETTE.size());
            renderer.setSeriesPaint(i, paint);
            renderer.setSeriesFillPaint(i, paint);
            renderer.setSeriesStroke(i, stroke(i / PALETTE.size()));
        }
    }

    private static Stroke stroke(int round) {
        return switch (round % 3) {
            case 0 -> new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
            case 1 -> new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f);
            default -> new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f, new float[] {1f, 4f}, 0f);
        };
    }

    private static NumberAxis numberAxis(String label) {
        NumberAxis axis = new NumberAxis(label);
        axis.setAutoRangeIncludesZero(false);
        return axis;
    }

    /** A UTC date axis with ISO labels, as many as fit side by side (JFreeChart picks the unit). */
    static DateAxis dateAxis(String label) {
        return dateAxis(label, false);
    }

    /** {@link #dateAxis(String)}, with ticks a day apart or more when {@code days}. */
    static DateAxis dateAxis(String label, boolean days) {
        DateAxis axis = new DateAxis(label, UTC, Locale.ROOT);
        TickUnits units = new TickUnits();
        String minute = "MM-dd HH:mm";
        if (!days) {
            units.add(unit(DateTickUnitType.MINUTE, 1, minute));
            units.add(unit(DateTickUnitType.MINUTE, 5, minute));
            units.add(unit(DateTickUnitType.MINUTE, 15, minute));
            units.add(unit(DateTickUnitType.MINUTE, 30, minute));
            units.add(unit(DateTickUnitType.HOUR, 1, minute));
            units.add(unit(DateTickUnitType.HOUR, 3, minute));
            units.add(unit(DateTickUnitType.HOUR, 6, minute));
            units.add(unit(DateTickUnitType.HOUR, 12, minute));
        }
        units.add(unit(DateTickUnitType.DAY, 1, "yyyy-MM-dd"));
        units.add(unit(DateTickUnitType.DAY, 2, "yyyy-MM-dd"));
        units.add(unit(DateTickUnitType.DAY, 7, "yyyy-MM-dd"));
        units.add(unit(DateTickUnitType.DAY, 14, "yyyy-MM-dd"));
        units.add(unit(DateTickUnitType.MONTH, 1, "yyyy-MM"));
        units.add(unit(DateTickUnitType.MONTH, 3, "yyyy-MM"));
        units.add(unit(DateTickUnitType.YEAR, 1, "yyyy"));
        axis.setStandardTickUnits(units);
        return axis;
    }

    private static DateTickUnit unit(DateTickUnitType type, int count, String pattern) {
        SimpleDateFormat format = new SimpleDateFormat(pattern, Locale.ROOT);
        format.setTimeZone(UTC);
        return new DateTickUnit(type, count, format);
    }

    /** The smallest bucket that cuts {@code spanMs} into at most {@code most} pieces. */
    static Duration bucketFor(long spanMs, int most) {
        for (Duration d : BUCKETS) {
            if (spanMs / d.toMillis() < most) {
                return d;
            }
        }
        return BUCKETS.get(BUCKETS.size() - 1);
    }

    private static String bucketName(Duration d) {
        if (d.toDays() == 7) {
            return "week";
        }
        if (d.toDays() == 1) {
            return "day";
        }
        if (d.toHours() == 1) {
            return "hour";
        }
        if (d.toMinutes() == 1) {
            return "minute";
        }
        return d.toHours() > 0 ? d.toHours() + " hours" : d.toMinutes() + " minutes";
    }

    private static long floor(long epochMs, Duration bucket) {
        return Math.floorDiv(epochMs, bucket.toMillis()) * bucket.toMillis();
    }

    private static boolean isSuccess(String status) {
        return status.equals("succeeded") || status.equals("completed") || status.equals("success");
    }

    /** Text forms of times that SQL and the tools write: dates, date-times with or without T, seconds, zone. */
    private static final List<DateTimeFormatter> TEXT_TIMES = List.of(
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT),
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm", Locale.ROOT),
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSSSSS][.SSSSSS][.SSS]", Locale.ROOT),
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSSSSSSSS][.SSSSSS][.SSS]", Locale.ROOT));

    /**
     * Epoch ms per row (Long.MIN_VALUE where missing) when x is an instant column or text whose every
     * value reads as a UTC date or time; empty otherwise.
     */
    static Optional<long[]> times(Column<?> xs) {
        long[] at = new long[xs.size()];
        boolean any = false;
        for (int row = 0; row < xs.size(); row++) {
            if (xs.isMissing(row)) {
                at[row] = Long.MIN_VALUE;
                continue;
            }
            Object value = xs.get(row);
            Optional<Instant> instant = value instanceof Instant i ? Optional.of(i) : parseTime(String.valueOf(value));
            if (instant.isEmpty()) {
                return Optional.empty();
            }
            at[row] = instant.get().toEpochMilli();
            any = true;
        }
        return any ? Optional.of(at) : Optional.empty();
    }

    static Optional<Instant> parseTime(String text) {
        String t = text.strip();
        if (t.length() < 10 || !Character.isDigit(t.charAt(0)) || t.charAt(4) != '-') {
            return Optional.empty();
        }
        try {
            if (t.length() == 10) {
                return Optional.of(LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant());
            }
            if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return Optional.of(java.time.OffsetDateTime.parse(t.replace(' ', 'T')).toInstant());
            }
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
        for (DateTimeFormatter format : TEXT_TIMES) {
            try {
                return Optional.of(LocalDateTime.parse(t, format).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        return Optional.empty();
    }

    // ---- argument checks ----

    private static void checkColumns(Table table, String x, String... y) {
        if (y.length == 0) {
            throw new InvalidArgumentException("a chart of table '" + table.name() + "' needs at least one y column;"
                    + " columns: " + table.columnNames());
        }
        require(table, x);
        require(table, y);
        for (String name : y) {
            numeric(table, name);
        }
    }

    private static NumericColumn<?> numeric(Table table, String name) {
        Column<?> column = table.column(name);
        if (column instanceof NumericColumn<?> numbers) {
            return numbers;
        }
        throw new InvalidArgumentException("column '" + name + "' is " + column.type().name()
                + ", not a number: chart needs numeric y columns");
    }

    private static void require(Table table, String... columns) {
        List<String> present = table.columnNames();
        for (String column : columns) {
            if (!present.contains(column)) {
                throw new InvalidArgumentException("table '" + table.name() + "' has no column '" + column
                        + "' (columns: " + present + ")");
            }
        }
    }
}
