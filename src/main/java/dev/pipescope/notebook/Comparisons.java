package dev.pipescope.notebook;

import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Statistics of a runs table per pipeline, and two periods side by side: the pure table arithmetic behind
 * {@code stats(window)} and {@code compare(a, b)}, on any runs tables.
 */
final class Comparisons {

    static final String P50 = "p50_duration_ms" + Percentiles.NEAREST_RANK;
    static final String P95 = "p95_duration_ms" + Percentiles.NEAREST_RANK;

    private Comparisons() {
    }

    /**
     * One row per source and pipeline of {@code runs}: counts by outcome, success rate, p50/p95 duration of
     * succeeded runs (nearest rank), mean and best throughput.
     */
    static Table stats(String title, Table runs) {
        List<Map.Entry<RunGroups.Key, RunGroups.Group>> rows = new ArrayList<>(RunGroups.of(runs).entrySet());
        return new TableBuilder<Map.Entry<RunGroups.Key, RunGroups.Group>>(title)
                .string("source", e -> e.getKey().source())
                .string("pipeline", e -> e.getKey().pipeline())
                .longs("runs", e -> e.getValue().runs)
                .longs("pending", e -> e.getValue().pending)
                .longs("running", e -> e.getValue().running)
                .longs("succeeded", e -> e.getValue().succeeded)
                .longs("failed", e -> e.getValue().failed)
                .longs("cancelled", e -> e.getValue().cancelled)
                .doubles("success_rate", e -> e.getValue().successRate())
                .longs(P50, e -> e.getValue().durationPercentile(50))
                .longs(P95, e -> e.getValue().durationPercentile(95))
                .doubles("throughput_mean", e -> e.getValue().meanThroughput())
                .doubles("throughput_best", e -> e.getValue().bestThroughput())
                .build(rows);
    }

    /** One pipeline in both periods; either side null when it did not run then. */
    private record Pair(RunGroups.Key key, RunGroups.Group a, RunGroups.Group b, Double worseBy, String worst) {
    }

    /**
     * Per source and pipeline: runs, success rate, p50/p95 duration (nearest rank) and mean throughput in
     * period a and period b, and how b differs from a; sorted by how much worse b is ({@code worse_by_percent},
     * the largest of: p50 and p95 duration rise in percent, mean throughput fall in percent, success rate fall
     * in percentage points), pipelines that ran in one period only last.
     */
    static Table compare(Table runsA, TimeWindow a, Table runsB, TimeWindow b) {
        Map<RunGroups.Key, RunGroups.Group> before = RunGroups.of(runsA);
        Map<RunGroups.Key, RunGroups.Group> after = RunGroups.of(runsB);
        TreeSet<RunGroups.Key> keys = new TreeSet<>(RunGroups.Key.ORDER);
        keys.addAll(before.keySet());
        keys.addAll(after.keySet());
        List<Pair> pairs = new ArrayList<>();
        for (RunGroups.Key key : keys) {
            RunGroups.Group ga = before.get(key);
            RunGroups.Group gb = after.get(key);
            Double worse = null;
            String worst = null;
            if (ga != null && gb != null) {
                double[] changes = {
                        risePercent(ga.durationPercentile(50), gb.durationPercentile(50)),
                        risePercent(ga.durationPercentile(95), gb.durationPercentile(95)),
                        fallPercent(ga.meanThroughput(), gb.meanThroughput()),
                        ga.successRate() == null || gb.successRate() == null ? Double.NaN
                                : 100 * (ga.successRate() - gb.successRate())};
                String[] what = {"p50 duration", "p95 duration", "throughput", "success rate"};
                for (int i = 0; i < changes.length; i++) {
                    if (!Double.isNaN(changes[i]) && (worse == null || changes[i] > worse)) {
                        worse = changes[i];
                        worst = what[i];
                    }
                }
            }
            pairs.add(new Pair(key, ga, gb, worse == null ? null : Math.round(worse * 10) / 10.0, worst));
        }
        pairs.sort(Comparator.comparing(Pair::worseBy, Comparator.nullsLast(Comparator.reverseOrder())));
        return new TableBuilder<Pair>("compare: a = " + a + " with b = " + b)
                .string("source", p -> p.key().source())
                .string("pipeline", p -> p.key().pipeline())
                .doubles("worse_by_percent", Pair::worseBy)
                .string("worst", Pair::worst)
                .longs("runs_a", p -> p.a() == null ? 0L : p.a().runs)
                .longs("runs_b", p -> p.b() == null ? 0L : p.b().runs)
                .longs("runs_change", p -> (p.b() == null ? 0L : p.b().runs) - (p.a() == null ? 0L : p.a().runs))
                .doubles("success_rate_a", p -> p.a() == null ? null : p.a().successRate())
                .doubles("success_rate_b", p -> p.b() == null ? null : p.b().successRate())
                .doubles("success_rate_change", p -> difference(p.a() == null ? null : p.a().successRate(),
                        p.b() == null ? null : p.b().successRate()))
                .longs("p50_duration_ms_a" + Percentiles.NEAREST_RANK, p -> p.a() == null ? null : p.a().durationPercentile(50))
                .longs("p50_duration_ms_b" + Percentiles.NEAREST_RANK, p -> p.b() == null ? null : p.b().durationPercentile(50))
                .longs("p50_duration_change_ms", p -> longDifference(p.a() == null ? null : p.a().durationPercentile(50),
                        p.b() == null ? null : p.b().durationPercentile(50)))
                .longs("p95_duration_ms_a" + Percentiles.NEAREST_RANK, p -> p.a() == null ? null : p.a().durationPercentile(95))
                .longs("p95_duration_ms_b" + Percentiles.NEAREST_RANK, p -> p.b() == null ? null : p.b().durationPercentile(95))
                .longs("p95_duration_change_ms", p -> longDifference(p.a() == null ? null : p.a().durationPercentile(95),
                        p.b() == null ? null : p.b().durationPercentile(95)))
                .doubles("throughput_mean_a", p -> p.a() == null ? null : p.a().meanThroughput())
                .doubles("throughput_mean_b", p -> p.b() == null ? null : p.b().meanThroughput())
                .doubles("throughput_change", p -> difference(p.a() == null ? null : p.a().meanThroughput(),
                        p.b() == null ? null : p.b().meanThroughput()))
                .build(pairs);
    }

    private static double risePercent(Long before, Long after) {
        return before == null || after == null || before == 0 ? Double.NaN : 100.0 * (after - before) / before;
    }

    private static double fallPercent(Double before, Double after) {
        return before == null || after == null || before == 0 ? Double.NaN : 100.0 * (before - after) / before;
    }

    private static Double difference(Double before, Double after) {
        return before == null || after == null ? null : after - before;
    }

    private static Long longDifference(Long before, Long after) {
        return before == null || after == null ? null : after - before;
    }
}
