package dev.pipescope.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of {@code processing_metrics}: the latest run of one pipeline, as upstream keeps it.
 * Nullable columns are nullable components; {@link #progress()} and {@link #duration()} are derived.
 */
public record ProcessingMetrics(
        String pipelineId,
        long bytesProcessed,
        long bytesTotal,
        long chunksProcessed,
        long chunksTotal,
        Instant startTime,
        Instant endTime,
        Long processingDurationMs,
        double throughputBytesPerSecond,
        Double compressionRatio,
        long errorCount,
        long warningCount,
        long inputFileSizeBytes,
        long outputFileSizeBytes,
        String inputFileChecksum,
        String outputFileChecksum) {

    public ProcessingMetrics {
        Objects.requireNonNull(pipelineId, "pipelineId");
    }

    /** Fraction of bytes processed, 0..1; empty when the total is unknown (0). */
    public Optional<Double> progress() {
        return bytesTotal <= 0 ? Optional.empty() : Optional.of((double) bytesProcessed / bytesTotal);
    }

    /** The stored duration, else end minus start; empty for a run that has neither. */
    public Optional<Duration> duration() {
        if (processingDurationMs != null) {
            return Optional.of(Duration.ofMillis(processingDurationMs));
        }
        if (startTime != null && endTime != null) {
            return Optional.of(Duration.between(startTime, endTime));
        }
        return Optional.empty();
    }

    /** True when the run has an end time. */
    public boolean finished() {
        return endTime != null;
    }

    /** Metrics of a run that just started, everything else zero. */
    public static ProcessingMetrics started(String pipelineId, Instant start, long bytesTotal) {
        return new ProcessingMetrics(pipelineId, 0, bytesTotal, 0, 0, start, null, null, 0.0, null, 0, 0, bytesTotal,
                0, null, null);
    }
}
