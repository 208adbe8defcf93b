package dev.pipescope.notebook;

import org.apache.commons.math3.distribution.HypergeometricDistribution;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which pipelines got worse from a baseline period to a recent one, and only where the data says it is
 * real. Per source and pipeline three tests are made:
 * <ul>
 *   <li>duration of succeeded runs: Mann–Whitney U (two-sided, normal approximation, Apache Commons Math),
 *       reported when the recent median (nearest rank) is higher;</li>
 *   <li>throughput of succeeded runs: the same test, reported when the recent median is lower;</li>
 *   <li>success rate: Fisher's exact test (two-sided) on succeeded / not succeeded among finished runs,
 *       reported when the recent rate is lower.</li>
 * </ul>
 * A change is reported when its p-value is below {@value #ALPHA} divided by the number of tests made
 * (Bonferroni: with 40 pipelines × 3 measures a 5% chance finding is expected otherwise), and it is large
 * enough to matter: a median {@value #MIN_CHANGE_PERCENT}% worse, or a success rate
 * {@value #MIN_RATE_DROP_POINTS} percentage points lower. A measure needs {@value #MIN_RUNS} runs on each
 * side to be tested; the title says how many were not.
 */
final class Regressions {

    static final double ALPHA = 0.05;
    static final double MIN_CHANGE_PERCENT = 5;
    static final double MIN_RATE_DROP_POINTS = 2;
    static final int MIN_RUNS = 5;

    private Regressions() {
    }

    private record Finding(RunGroups.Key key, String measure, String baseline, String recent, double changePercent,
                           double pValue, String test, long baselineRuns, long recentRuns) {
    }

    private record Candidate(Finding finding, boolean worse, boolean large) {
    }

    static Table find(Table baselineRuns, TimeWindow baseline, Table recentRuns, TimeWindow recent) {
        Map<RunGroups.Key, RunGroups.Group> before = RunGroups.of(baselineRuns);
        Map<RunGroups.Key, RunGroups.Group> after = RunGroups.of(recentRuns);
        List<Candidate> candidates = new ArrayList<>();
        int untested = 0;
        MannWhitneyUTest mannWhitney = new MannWhitneyUTest();
        for (var entry : after.entrySet()) {
            RunGroups.Key key = entry.getKey();
            RunGroups.Group b = entry.getValue();
            RunGroups.Group a = before.get(key);
            if (a == null) {
                untested += 3;
                continue;
            }
            var duration = medianTest(mannWhitney, key, "duration (succeeded runs, median)", Formats::durationMs,
                    a.durations(), b.durations(), true);
            if (duration != null) {
                candidates.add(duration);
            } else {
                untested++;
            }
            double[] ta = a.throughputs();
            double[] tb = b.throughputs();
            var throughput = medianTest(mannWhitney, key, "throughput (succeeded runs, median)", Formats::throughput,
                    ta, tb, false);
            if (throughput != null) {
                candidates.add(throughput);
            } else if (!(ta.length == 0 && tb.length == 0)) {
                untested++;
            }
            if (a.finished() >= MIN_RUNS && b.finished() >= MIN_RUNS) {
                double ra = a.successRate();
                double rb = b.successRate();
                candidates.add(new Candidate(new Finding(key, "success rate (finished runs)", percent(ra), percent(rb),
                        round(100 * (rb - ra)), fisherExact(a.succeeded, a.finished() - a.succeeded, b.succeeded,
                        b.finished() - b.succeeded), "Fisher exact", a.finished(), b.finished()),
                        rb < ra, 100 * (ra - rb) >= MIN_RATE_DROP_POINTS));
            } else {
                untested++;
            }
        }
        int tests = candidates.size();
        double threshold = tests == 0 ? ALPHA : ALPHA / tests;
        List<Finding> found = new ArrayList<>();
        for (Candidate c : candidates) {
            if (c.worse() && c.large() && c.finding().pValue() < threshold) {
                found.add(c.finding());
            }
        }
        found.sort(Comparator.comparingDouble(Finding::pValue));
        String title = String.format(Locale.ROOT, "regressions: recent = %s against baseline = %s; %d tests, "
                        + "reported when p < %.2g (%.2f / %d, Bonferroni) and %.0f%% worse (success rate %.0f points)%s",
                recent, baseline, tests, threshold, ALPHA, Math.max(1, tests), MIN_CHANGE_PERCENT, MIN_RATE_DROP_POINTS,
                untested == 0 ? "" : "; " + untested + " measures not tested (fewer than " + MIN_RUNS
                        + " runs on a side, or no runs in the baseline)");
        return new TableBuilder<Finding>(title)
                .string("source", f -> f.key().source())
                .string("pipeline", f -> f.key().pipeline())
                .string("measure", Finding::measure)
                .string("baseline", Finding::baseline)
                .string("recent", Finding::recent)
                .doubles("change_percent", Finding::changePercent)
                .doubles("p_value", Finding::pValue)
                .string("test", Finding::test)
                .longs("baseline_runs", Finding::baselineRuns)
                .longs("recent_runs", Finding::recentRuns)
                .string("baseline_window", f -> baseline.toString())
                .string("recent_window", f -> recent.toString())
                .build(found);
    }

    /**
     * Two-sided p-value of Fisher's exact test on the 2×2 table [[s1, f1], [s2, f2]]: the probability,
     * with the margins fixed, of a table at most as likely as the one seen.
     */
    static double fisherExact(long s1, long f1, long s2, long f2) {
        int population = Math.toIntExact(s1 + f1 + s2 + f2);
        int successes = Math.toIntExact(s1 + s2);
        int sample = Math.toIntExact(s1 + f1);
        var distribution = new HypergeometricDistribution(null, population, successes, sample);
        double observed = distribution.logProbability((int) s1);
        double p = 0;
        for (int x = distribution.getSupportLowerBound(); x <= distribution.getSupportUpperBound(); x++) {
            double log = distribution.logProbability(x);
            // relative tolerance: tables as likely as the observed one up to rounding count too
            if (log <= observed + 1e-7) {
                p += Math.exp(log);
            }
        }
        return Math.min(1.0, p);
    }

    private static String percent(double rate) {
        return String.format(Locale.ROOT, "%.1f %%", 100 * rate);
    }

    /**
     * Mann–Whitney U on one measure's values in the two periods, with the medians (nearest rank) and the
     * change between them; null when either period has fewer than {@value #MIN_RUNS} values.
     *
     * @param higherIsWorse true for a duration, false for a throughput
     */
    private static Candidate medianTest(MannWhitneyUTest test, RunGroups.Key key, String measure,
                                        java.util.function.DoubleFunction<String> format, double[] a, double[] b,
                                        boolean higherIsWorse) {
        if (a.length < MIN_RUNS || b.length < MIN_RUNS) {
            return null;
        }
        double ma = Percentiles.ofSorted(a, a.length, 50);
        double mb = Percentiles.ofSorted(b, b.length, 50);
        double change = ma == 0 ? Double.NaN : 100 * (mb - ma) / ma;
        double worseBy = higherIsWorse ? change : -change;
        return new Candidate(new Finding(key, measure, format.apply(ma), format.apply(mb), round(change),
                test.mannWhitneyUTest(a, b), "Mann–Whitney U", a.length, b.length),
                higherIsWorse ? mb > ma : mb < ma, worseBy >= MIN_CHANGE_PERCENT);
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
