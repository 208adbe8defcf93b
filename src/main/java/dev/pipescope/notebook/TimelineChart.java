package dev.pipescope.notebook;

import dev.pipescope.error.InvalidArgumentException;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Rectangle;
import java.awt.geom.Path2D;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.TreeMap;

/**
 * A Gantt chart of any runs table: one lane per pipeline (or per value of another column, e.g. source),
 * one bar per run from its start to its end, coloured by status; a failed or timed-out run also gets a
 * cross at its end. A run without a start is drawn from {@code end − duration}; a run still going (no end)
 * to the newest time in the table. Runs with neither time are not drawn, and the title says how many.
 */
final class TimelineChart {

    static final int WIDTH = 900;
    private static final int LANE_PIXELS = 22;
    private static final int FRAME_PIXELS = 140;

    /** Status → colour, in legend order; other words share the last. */
    private static final Map<String, Color> COLOURS = new LinkedHashMap<>();

    static {
        COLOURS.put("succeeded", new Color(0x2E, 0x9E, 0x4F));
        COLOURS.put("failed", new Color(0xD6, 0x3B, 0x2F));
        COLOURS.put("cancelled", new Color(0x8C, 0x8C, 0x8C));
        COLOURS.put("running", new Color(0x2F, 0x6F, 0xD6));
        COLOURS.put("pending", new Color(0xB3, 0x9D, 0xDB));
    }

    private TimelineChart() {
    }

    static Chart draw(Table runs, String laneColumn) {
        RunGroups.require(runs, "status", "started_at", "finished_at", laneColumn);
        InstantColumn started = runs.instantColumn("started_at");
        InstantColumn finished = runs.instantColumn("finished_at");
        NumericColumn<?> duration = runs.columnNames().contains("duration_ms") ? runs.numberColumn("duration_ms") : null;
        Column<?> lane = runs.column(laneColumn);
        Column<?> status = runs.column("status");
        long newest = Long.MIN_VALUE;
        for (int row = 0; row < runs.rowCount(); row++) {
            if (!finished.isMissing(row)) {
                newest = Math.max(newest, finished.get(row).toEpochMilli());
            }
            if (!started.isMissing(row)) {
                newest = Math.max(newest, started.get(row).toEpochMilli());
            }
        }
        TreeMap<String, Integer> lanes = new TreeMap<>();
        for (int row = 0; row < runs.rowCount(); row++) {
            lanes.putIfAbsent(lane.isMissing(row) ? "(none)" : lane.getString(row), 0);
        }
        int index = 0;
        for (var entry : lanes.entrySet()) {
            entry.setValue(index++);
        }
        Map<String, XYIntervalSeries> bars = new LinkedHashMap<>();
        COLOURS.keySet().forEach(s -> bars.put(s, new XYIntervalSeries(s)));
        XYSeries failures = new XYSeries("failure", false, true);
        int undrawn = 0;
        int drawn = 0;
        for (int row = 0; row < runs.rowCount(); row++) {
            Long end = finished.isMissing(row) ? null : finished.get(row).toEpochMilli();
            Long start = started.isMissing(row) ? null : started.get(row).toEpochMilli();
            if (start == null && end != null) {
                start = duration != null && !duration.isMissing(row) ? end - (long) duration.getDouble(row) : end;
            }
            if (start == null) {
                undrawn++;
                continue;
            }
            if (end == null) {
                end = Math.max(start, newest);
            }
            String word = status.getString(row).toLowerCase(Locale.ROOT);
            int y = lanes.get(lane.isMissing(row) ? "(none)" : lane.getString(row));
            bars.computeIfAbsent(word, XYIntervalSeries::new).add(start, start, end, y, y - 0.35, y + 0.35);
            if (word.equals("failed")) {
                failures.add((double) end, y);
            }
            drawn++;
        }
        if (drawn == 0) {
            throw new InvalidArgumentException("table '" + runs.name() + "' has no run with a time to draw ("
                    + runs.rowCount() + " rows)");
        }
        XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
        XYBarRenderer renderer = new XYBarRenderer();
        renderer.setUseYInterval(true);
        renderer.setShadowVisible(false);
        renderer.setBarPainter(new StandardXYBarPainter());
        renderer.setDrawBarOutline(false);
        for (XYIntervalSeries series : bars.values()) {
            if (series.getItemCount() > 0) {
                renderer.setSeriesPaint(data.getSeriesCount(), COLOURS.getOrDefault((String) series.getKey(), Color.DARK_GRAY));
                data.addSeries(series);
            }
        }
        DateAxis time = new DateAxis("time (UTC)");
        time.setTimeZone(TimeZone.getTimeZone("UTC"));
        SymbolAxis laneAxis = new SymbolAxis(laneColumn, lanes.keySet().toArray(new String[0]));
        laneAxis.setGridBandsVisible(false);
        laneAxis.setInverted(true);
        XYPlot plot = new XYPlot(data, time, laneAxis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
        plot.setRangeGridlinePaint(new Color(0xEE, 0xEE, 0xEE));
        if (failures.getItemCount() > 0) {
            XYLineAndShapeRenderer marks = new XYLineAndShapeRenderer(false, true);
            Path2D cross = new Path2D.Double();
            cross.moveTo(-4, -4);
            cross.lineTo(4, 4);
            cross.moveTo(-4, 4);
            cross.lineTo(4, -4);
            marks.setSeriesShape(0, cross);
            marks.setSeriesShapesFilled(0, false);
            marks.setUseOutlinePaint(false);
            marks.setSeriesStroke(0, new BasicStroke(1.6f));
            marks.setSeriesPaint(0, new Color(0x80, 0x10, 0x10));
            plot.setDataset(1, new XYSeriesCollection(failures));
            plot.setRenderer(1, marks);
        }
        String title = "Timeline of " + runs.name() + ": " + drawn + " runs in " + lanes.size() + " lanes"
                + (undrawn == 0 ? "" : " (" + undrawn + " runs without a time not drawn)");
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        int height = FRAME_PIXELS + LANE_PIXELS * lanes.size();
        SVGGraphics2D g = new SVGGraphics2D(WIDTH, height);
        chart.draw(g, new Rectangle(0, 0, WIDTH, height));
        return new Chart(title, g.getSVGElement());
    }
}
