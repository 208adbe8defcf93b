package dev.pipescope.notebook;

import dev.pipescope.domain.RunStatus;
import dev.pipescope.error.InvalidArgumentException;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs counted or aggregated per time bucket. Buckets are aligned to the UTC epoch (an hour bucket starts
 * on the hour, a day bucket at 00:00Z) and run from the first run's bucket to the last one's, every bucket
 * present: a quiet hour is a row of zeros, not a gap a chart would draw a line across. A run is filed
 * under its time ({@code started_at}, else {@code finished_at}); a run with neither cannot be placed and the
 * title says how many there were.
 */
final class TimeBuckets {

    private TimeBuckets() {
    }

    /**
     * One row per bucket: {@code bucket} (its start), {@code runs}, then one count column per status
     * ({@code pending}, {@code running}, {@code succeeded}, {@code failed}, {@code cancelled}; a Hyperpage
     * timeout is a failure).
     */
    static Table counts(Table runs, Duration size) {
        TimeWindow.requirePositive(size, "bucket size");
        RunGroups.require(runs, "status", "started_at");
        long width = size.toMillis();
        long[] times = times(runs);
        Column<?> status = runs.column("status");
        RunStatus[] statuses = RunStatus.values();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        int timeless = 0;
        for (long t : times) {
            if (t == Long.MIN_VALUE) {
                timeless++;
            } else {
                first = Math.min(first, floor(t, width));
                last = Math.max(last, floor(t, width));
            }
        }
        int buckets = first > last ? 0 : Math.toIntExact((last - first) / width + 1);
        long[][] counts = new long[statuses.length][buckets];
        for (int row = 0; row < times.length; row++) {
            if (times[row] != Long.MIN_VALUE) {
                int bucket = (int) ((floor(times[row], width) - first) / width);
                counts[statusIndex(runs, status, row)][bucket]++;
            }
        }
        InstantColumn bucket = InstantColumn.create("bucket");
        LongColumn total = LongColumn.create("runs");
        for (int b = 0; b < buckets; b++) {
            bucket.append(Instant.ofEpochMilli(first + b * width));
            long sum = 0;
            for (long[] perStatus : counts) {
                sum += perStatus[b];
            }
            total.append(sum);
        }
        Table table = Table.create(title("runs per " + TimeWindow.words(size), runs, timeless), bucket, total);
        for (RunStatus s : statuses) {
            table.addColumns(LongColumn.create(s.dbValue(), counts[s.ordinal()]));
        }
        return table;
    }

    /** The measures {@link #series} aggregates: name → runs table column and the unit suffix of its columns. */
    private static final Map<String, String[]> MEASURES = Map.of(
            "duration", new String[] {"duration_ms", "duration", "_ms"},
            "duration_ms", new String[] {"duration_ms", "duration", "_ms"},
            "throughput", new String[] {"throughput_bytes_per_s", "throughput", ""},
            "throughput_bytes_per_s", new String[] {"throughput_bytes_per_s", "throughput", ""},
            "bytes_processed", new String[] {"bytes_processed", "bytes_processed", ""},
            "bytes", new String[] {"bytes_processed", "bytes_processed", ""});

    /**
     * One row per pipeline and bucket, every bucket from the first run's to the last run's for each
     * pipeline: {@code runs} with a value of the measure (succeeded runs only, as in stats()), and the
     * measure's mean, p50 and p95 (nearest rank), missing in a bucket without such a run.
     *
     * @param measure {@code duration}, {@code throughput} or {@code bytes_processed}
     */
    static Table series(Table runs, Duration size, String measure) {
        TimeWindow.requirePositive(size, "bucket size");
        String[] m = measure == null ? null : MEASURES.get(measure.toLowerCase(Locale.ROOT));
        if (m == null) {
            throw new InvalidArgumentException("series measure '" + measure + "' is not one of duration, throughput, "
                    + "bytes_processed");
        }
        RunGroups.require(runs, "pipeline", "status", "started_at", m[0]);
        long width = size.toMillis();
        long[] times = times(runs);
        Column<?> pipeline = runs.column("pipeline");
        Column<?> status = runs.column("status");
        NumericColumn<?> values = runs.numberColumn(m[0]);
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        int timeless = 0;
        // per pipeline: bucket start → values
        Map<String, TreeMap<Long, double[]>> byPipeline = new TreeMap<>();
        Map<String, TreeMap<Long, Integer>> sizes = new TreeMap<>();
        for (int row = 0; row < times.length; row++) {
            if (times[row] == Long.MIN_VALUE) {
                timeless++;
                continue;
            }
            long b = floor(times[row], width);
            first = Math.min(first, b);
            last = Math.max(last, b);
            String name = pipeline.isMissing(row) ? "" : pipeline.getString(row);
            var buckets = byPipeline.computeIfAbsent(name, k -> new TreeMap<>());
            var filled = sizes.computeIfAbsent(name, k -> new TreeMap<>());
            buckets.computeIfAbsent(b, k -> new double[0]);
            filled.putIfAbsent(b, 0);
            if (!"succeeded".equals(status.getString(row).toLowerCase(Locale.ROOT)) || values.isMissing(row)) {
                continue;
            }
            double[] array = buckets.get(b);
            int n = filled.get(b);
            if (n == array.length) {
                array = Arrays.copyOf(array, Math.max(8, n * 2));
                buckets.put(b, array);
            }
            array[n] = values.getDouble(row);
            filled.put(b, n + 1);
        }
        String base = m[1];
        String unit = m[2];
        InstantColumn bucket = InstantColumn.create("bucket");
        StringColumn name = StringColumn.create("pipeline");
        LongColumn count = LongColumn.create("runs");
        DoubleColumn mean = DoubleColumn.create(base + "_mean" + unit);
        DoubleColumn p50 = DoubleColumn.create(base + "_p50" + unit + Percentiles.NEAREST_RANK);
        DoubleColumn p95 = DoubleColumn.create(base + "_p95" + unit + Percentiles.NEAREST_RANK);
        for (var entry : byPipeline.entrySet()) {
            var buckets = entry.getValue();
            var filled = sizes.get(entry.getKey());
            for (long b = buckets.firstKey(); b <= buckets.lastKey(); b += width) {
                bucket.append(Instant.ofEpochMilli(b));
                name.append(entry.getKey());
                double[] array = buckets.getOrDefault(b, new double[0]);
                int n = filled.getOrDefault(b, 0);
                count.append(n);
                if (n == 0) {
                    mean.appendMissing();
                    p50.appendMissing();
                    p95.appendMissing();
                    continue;
                }
                Arrays.sort(array, 0, n);
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += array[i];
                }
                mean.append(sum / n);
                p50.append(Percentiles.ofSorted(array, n, 50));
                p95.append(Percentiles.ofSorted(array, n, 95));
            }
        }
        return Table.create(title(base + " per " + TimeWindow.words(size) + " per pipeline", runs, timeless),
                bucket, name, count, mean, p50, p95);
    }

    /** Each run's time in epoch ms (start, else end); Long.MIN_VALUE when it has neither. */
    static long[] times(Table runs) {
        InstantColumn started = runs.instantColumn("started_at");
        InstantColumn finished = runs.columnNames().contains("finished_at") ? runs.instantColumn("finished_at") : null;
        long[] times = new long[runs.rowCount()];
        for (int row = 0; row < times.length; row++) {
            if (!started.isMissing(row)) {
                times[row] = started.get(row).toEpochMilli();
            } else if (finished != null && !finished.isMissing(row)) {
                times[row] = finished.get(row).toEpochMilli();
            } else {
                times[row] = Long.MIN_VALUE;
            }
        }
        return times;
    }

    private static int statusIndex(Table runs, Column<?> status, int row) {
        String word = status.getString(row).toLowerCase(Locale.ROOT);
        for (RunStatus s : RunStatus.values()) {
            if (s.dbValue().equals(word)) {
                return s.ordinal();
            }
        }
        throw new InvalidArgumentException("table '" + runs.name() + "' row " + row + " has status '"
                + status.getString(row) + "', which is not a run status");
    }

    private static long floor(long millis, long width) {
        return Math.floorDiv(millis, width) * width;
    }

    private static String title(String what, Table runs, int timeless) {
        return what + " of " + runs.name() + (timeless == 0 ? "" : " (" + timeless
                + " runs without a time are not in any bucket)");
    }
}
