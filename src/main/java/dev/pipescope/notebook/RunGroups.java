package dev.pipescope.notebook;

import dev.pipescope.error.InvalidArgumentException;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A runs table grouped by what ran (source and pipeline/job name): counts by outcome, and the durations
 * and throughputs of its succeeded runs sorted for percentiles. Durations and throughput count succeeded
 * runs only, as {@code stats()} does: a failed run's length says little about the pipeline's speed.
 */
final class RunGroups {

    /** What ran; {@code source} is "" for a table without a source column (one pipeline's run history). */
    record Key(String source, String pipeline) {
        static final Comparator<Key> ORDER = Comparator.comparing(Key::pipeline).thenComparing(Key::source);
    }

    /** One group's numbers. */
    static final class Group {
        long runs;
        long pending;
        long running;
        long succeeded;
        long failed;
        long cancelled;
        private double[] durations = new double[8];
        private int durationCount;
        private double[] throughputs = new double[8];
        private int throughputCount;
        private boolean sorted;

        private void addDuration(double value) {
            if (durationCount == durations.length) {
                durations = Arrays.copyOf(durations, durationCount * 2);
            }
            durations[durationCount++] = value;
        }

        private void addThroughput(double value) {
            if (throughputCount == throughputs.length) {
                throughputs = Arrays.copyOf(throughputs, throughputCount * 2);
            }
            throughputs[throughputCount++] = value;
        }

        private void sort() {
            if (!sorted) {
                Arrays.sort(durations, 0, durationCount);
                Arrays.sort(throughputs, 0, throughputCount);
                sorted = true;
            }
        }

        /** Succeeded / finished (succeeded, failed, cancelled, timed out); null when nothing finished. */
        Double successRate() {
            long finished = succeeded + failed + cancelled;
            return finished == 0 ? null : (double) succeeded / finished;
        }

        long finished() {
            return succeeded + failed + cancelled;
        }

        /** Durations (ms) of succeeded runs, ascending. */
        double[] durations() {
            sort();
            return Arrays.copyOf(durations, durationCount);
        }

        /** Throughputs (bytes/s) of succeeded runs that measured one, ascending. */
        double[] throughputs() {
            sort();
            return Arrays.copyOf(throughputs, throughputCount);
        }

        /** Nearest-rank percentile of succeeded durations; null when none. */
        Long durationPercentile(double p) {
            sort();
            return durationCount == 0 ? null : (long) Percentiles.ofSorted(durations, durationCount, p);
        }

        Double throughputPercentile(double p) {
            sort();
            return throughputCount == 0 ? null : Percentiles.ofSorted(throughputs, throughputCount, p);
        }

        Double meanThroughput() {
            if (throughputCount == 0) {
                return null;
            }
            double sum = 0;
            for (int i = 0; i < throughputCount; i++) {
                sum += throughputs[i];
            }
            return sum / throughputCount;
        }

        Double bestThroughput() {
            sort();
            return throughputCount == 0 ? null : throughputs[throughputCount - 1];
        }
    }

    private RunGroups() {
    }

    /**
     * Groups {@code runs} (a table of runs as {@code runs()}, {@code allRuns()} or {@code runs(pipeline)} make
     * them) by source and pipeline, sorted by pipeline then source.
     *
     * @throws InvalidArgumentException when a column it needs is missing
     */
    static Map<Key, Group> of(Table runs) {
        require(runs, "pipeline", "status", "duration_ms");
        List<String> names = runs.columnNames();
        Column<?> source = names.contains("source") ? runs.column("source") : null;
        Column<?> pipeline = runs.column("pipeline");
        Column<?> status = runs.column("status");
        NumericColumn<?> duration = runs.numberColumn("duration_ms");
        NumericColumn<?> throughput = names.contains("throughput_bytes_per_s") ? runs.numberColumn("throughput_bytes_per_s")
                : null;
        Map<Key, Group> groups = new TreeMap<>(Key.ORDER);
        // the last key is usually the next one's: runs of a pipeline come in streaks
        Key last = null;
        Group group = null;
        for (int row = 0; row < runs.rowCount(); row++) {
            String s = source == null || source.isMissing(row) ? "" : source.getString(row);
            String p = pipeline.isMissing(row) ? "" : pipeline.getString(row);
            if (last == null || !last.pipeline().equals(p) || !last.source().equals(s)) {
                last = new Key(s, p);
                group = groups.computeIfAbsent(last, k -> new Group());
            }
            group.runs++;
            switch (status.getString(row).toLowerCase(Locale.ROOT)) {
                case "succeeded" -> {
                    group.succeeded++;
                    if (!duration.isMissing(row)) {
                        group.addDuration(duration.getDouble(row));
                    }
                    if (throughput != null && !throughput.isMissing(row)) {
                        group.addThroughput(throughput.getDouble(row));
                    }
                }
                case "failed" -> group.failed++;
                case "cancelled" -> group.cancelled++;
                case "running" -> group.running++;
                case "pending" -> group.pending++;
                default -> throw new InvalidArgumentException("table '" + runs.name() + "' row " + row
                        + " has status '" + status.getString(row) + "', which is not a run status");
            }
        }
        return groups;
    }

    static void require(Table table, String... columns) {
        List<String> present = table.columnNames();
        for (String column : columns) {
            if (!present.contains(column)) {
                throw new InvalidArgumentException("table '" + table.name() + "' has no column '" + column
                        + "' (columns: " + present + "); pass a runs table such as runs() or allRuns()");
            }
        }
    }
}
