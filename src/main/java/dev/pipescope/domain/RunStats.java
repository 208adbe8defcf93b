package dev.pipescope.domain;

import java.util.Optional;

/**
 * A pipeline's run history in numbers. Durations and throughput are over succeeded runs only: a
 * failed run's length says little about the pipeline's speed.
 *
 * @param count every run, running ones included
 * @param successRate succeeded / (succeeded + failed + cancelled); null before any run finished
 * @param p50DurationMs median duration of succeeded runs (nearest rank); null when there are none
 * @param p95DurationMs 95th percentile (nearest rank); null when there are none
 * @param meanThroughput mean bytes/s of succeeded runs; null when there are none
 * @param bestThroughput highest bytes/s of a succeeded run; null when there are none
 */
public record RunStats(
        String pipelineId,
        long count,
        long running,
        long succeeded,
        long failed,
        long cancelled,
        Double successRate,
        Long p50DurationMs,
        Long p95DurationMs,
        Double meanThroughput,
        Double bestThroughput) {

    public Optional<Double> successRateIfAny() {
        return Optional.ofNullable(successRate);
    }

    /** The 1-based nearest rank of percentile {@code p} (0..100) among {@code n} sorted values. */
    public static long nearestRank(double p, long n) {
        return Math.max(1, (long) Math.ceil(p / 100.0 * n));
    }

    /** Success rate from counts; null when nothing finished. */
    public static Double successRate(long succeeded, long failed, long cancelled) {
        long finished = succeeded + failed + cancelled;
        return finished == 0 ? null : (double) succeeded / finished;
    }
}
