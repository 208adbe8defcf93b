package dev.pipescope.notebook;

import dev.pipescope.error.InvalidArgumentException;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.time.Millisecond;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.awt.Color;
import java.awt.Rectangle;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.TreeMap;

/** Charts of run tables, drawn by JFreeChart into SVG (no network, no browser library). */
public final class Charts {

    static final int WIDTH = 720;
    static final int HEIGHT = 360;
    private static final double MIB = 1024.0 * 1024.0;

    private Charts() {
    }

    /** Throughput (MiB/s) of each finished run over its start time, one series per pipeline. */
    public static Chart throughputOverTime(Table runs) {
        require(runs, "pipeline", "started_at", "throughput_bytes_per_s");
        Map<String, TimeSeries> series = new TreeMap<>();
        InstantColumn started = runs.instantColumn("started_at");
        NumericColumn<?> throughput = runs.numberColumn("throughput_bytes_per_s");
        Column<?> pipeline = runs.column("pipeline");
        for (int row = 0; row < runs.rowCount(); row++) {
            if (started.isMissing(row) || throughput.isMissing(row) || throughput.getDouble(row) <= 0) {
                continue;
            }
            String name = String.valueOf(pipeline.get(row));
            series.computeIfAbsent(name, TimeSeries::new)
                    .addOrUpdate(new Millisecond(Date.from(started.get(row)), TimeZone.getTimeZone("UTC"), java.util.Locale.ROOT),
                            throughput.getDouble(row) / MIB);
        }
        TimeSeriesCollection data = new TimeSeriesCollection(TimeZone.getTimeZone("UTC"));
        series.values().forEach(data::addSeries);
        return draw("Throughput per run", ChartFactory.createTimeSeriesChart("Throughput per run",
                "run start (UTC)", "MiB/s", data, true, false, false));
    }

    /** Histogram of run durations in seconds. */
    public static Chart durationDistribution(Table runs) {
        require(runs, "duration_ms");
        NumericColumn<?> duration = runs.numberColumn("duration_ms");
        double[] seconds = java.util.stream.IntStream.range(0, runs.rowCount()).filter(r -> !duration.isMissing(r))
                .mapToDouble(duration::getDouble).toArray();
        if (seconds.length == 0) {
            throw new InvalidArgumentException("no run in the table has a duration to chart");
        }
        for (int i = 0; i < seconds.length; i++) {
            seconds[i] /= 1000.0;
        }
        HistogramDataset data = new HistogramDataset();
        data.addSeries("runs", seconds, Math.min(40, Math.max(5, (int) Math.sqrt(seconds.length))));
        return draw("Run duration distribution", ChartFactory.createHistogram("Run duration distribution",
                "duration (s)", "runs", data, PlotOrientation.VERTICAL, false, false, false));
    }

    /** Total bytes processed (MiB) per pipeline. */
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
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        totals.forEach((name, mib) -> data.addValue(mib, "MiB processed", name));
        JFreeChart chart = ChartFactory.createBarChart("Bytes processed per pipeline", "pipeline", "MiB",
                data, PlotOrientation.HORIZONTAL, false, false, false);
        return draw("Bytes processed per pipeline", chart);
    }

    /** Share of finished runs that succeeded, per day (UTC). */
    public static Chart successRatePerDay(Table runs) {
        require(runs, "status", "started_at");
        Map<LocalDate, long[]> days = new TreeMap<>();
        InstantColumn started = runs.instantColumn("started_at");
        Column<?> status = runs.column("status");
        for (int row = 0; row < runs.rowCount(); row++) {
            String s = String.valueOf(status.get(row)).toLowerCase(java.util.Locale.ROOT);
            if (started.isMissing(row) || s.equals("running") || s.equals("pending")) {
                continue;
            }
            long[] counts = days.computeIfAbsent(LocalDate.ofInstant(started.get(row), ZoneOffset.UTC), d -> new long[2]);
            counts[1]++;
            if (s.equals("succeeded") || s.equals("completed") || s.equals("success")) {
                counts[0]++;
            }
        }
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        days.forEach((day, counts) -> data.addValue(100.0 * counts[0] / counts[1], "success rate", day.toString()));
        JFreeChart chart = ChartFactory.createLineChart("Success rate per day (UTC)", "day", "% of finished runs",
                data, PlotOrientation.VERTICAL, false, false, false);
        return draw("Success rate per day", chart);
    }

    /**
     * Charts any table's columns: {@code y} columns (numeric) against {@code x}. An instant column makes
     * a time series, a numeric one an XY line, anything else a bar chart with x as the category.
     */
    public static Chart chart(Table table, String x, String... y) {
        if (y.length == 0) {
            throw new InvalidArgumentException("chart(table, x, y...) needs at least one y column; columns: "
                    + table.columnNames());
        }
        require(table, x);
        require(table, y);
        Column<?> xs = table.column(x);
        String title = String.join(", ", y) + " by " + x;
        if (xs instanceof InstantColumn times) {
            TimeSeriesCollection data = new TimeSeriesCollection(TimeZone.getTimeZone("UTC"));
            for (String name : y) {
                TimeSeries series = new TimeSeries(name);
                NumericColumn<?> ys = numeric(table, name);
                for (int row = 0; row < table.rowCount(); row++) {
                    if (!times.isMissing(row) && !ys.isMissing(row)) {
                        series.addOrUpdate(new Millisecond(Date.from(times.get(row)), TimeZone.getTimeZone("UTC"),
                                java.util.Locale.ROOT), ys.getDouble(row));
                    }
                }
                data.addSeries(series);
            }
            return draw(title, ChartFactory.createTimeSeriesChart(title, x, null, data, y.length > 1, false, false));
        }
        if (xs instanceof NumericColumn<?> numbers) {
            XYSeriesCollection data = new XYSeriesCollection();
            for (String name : y) {
                XYSeries series = new XYSeries(name, true, true);
                NumericColumn<?> ys = numeric(table, name);
                for (int row = 0; row < table.rowCount(); row++) {
                    if (!numbers.isMissing(row) && !ys.isMissing(row)) {
                        series.add(numbers.getDouble(row), ys.getDouble(row));
                    }
                }
                data.addSeries(series);
            }
            return draw(title, ChartFactory.createXYLineChart(title, x, null, data, PlotOrientation.VERTICAL,
                    y.length > 1, false, false));
        }
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (String name : y) {
            NumericColumn<?> ys = numeric(table, name);
            Map<String, Double> sums = new LinkedHashMap<>();
            for (int row = 0; row < table.rowCount(); row++) {
                if (!ys.isMissing(row)) {
                    sums.merge(String.valueOf(xs.get(row)), ys.getDouble(row), Double::sum);
                }
            }
            sums.forEach((category, value) -> data.addValue(value, name, category));
        }
        return draw(title, ChartFactory.createBarChart(title, x, null, data, PlotOrientation.VERTICAL,
                y.length > 1, false, false));
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

    static Chart draw(String title, JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        if (chart.getPlot() instanceof org.jfree.chart.plot.CategoryPlot plot && plot.getDataset() != null
                && plot.getDataset().getColumnCount() > 8 && plot.getOrientation() == PlotOrientation.VERTICAL) {
            // many categories: upright labels would be cut to "..."
            plot.getDomainAxis().setCategoryLabelPositions(org.jfree.chart.axis.CategoryLabelPositions.UP_90);
        }
        chart.setAntiAlias(true);
        SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
        chart.draw(g, new Rectangle(0, 0, WIDTH, HEIGHT));
        return new Chart(title, g.getSVGElement());
    }
}
