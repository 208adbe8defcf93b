package dev.pipescope.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of Pipescope's {@code pipeline_runs}: a single run of a pipeline.
 *
 * @param attempt 1 for a first try, 2 and up for a retry of a failed run
 * @param finishedAt null while running
 * @param updatedAt the last start, progress or finish write: a running run whose {@code updatedAt} is
 *                  old belongs to a process that died ({@link RunRepository#stale})
 * @param durationMs null while running
 * @param errorMessage why a failed or cancelled run ended; null otherwise
 */
public record PipelineRun(
        String id,
        String pipelineId,
        RunStatus status,
        int attempt,
        Instant startedAt,
        Instant finishedAt,
        Instant updatedAt,
        Long durationMs,
        RunMeasures measures,
        String errorMessage) {

    public PipelineRun {
        Objects.requireNonNull(id, "run id");
        Objects.requireNonNull(pipelineId, "run pipelineId");
        Objects.requireNonNull(status, "run status");
        Objects.requireNonNull(startedAt, "run startedAt");
        Objects.requireNonNull(updatedAt, "run updatedAt");
        measures = measures == null ? RunMeasures.NONE : measures;
    }

    /** The run's length, once finished. */
    public Optional<Duration> duration() {
        return durationMs == null ? Optional.empty() : Optional.of(Duration.ofMillis(durationMs));
    }

    /** The run as upstream's {@code processing_metrics} row of its pipeline. */
    public ProcessingMetrics toProcessingMetrics() {
        var m = measures;
        return new ProcessingMetrics(pipelineId, m.bytesProcessed(), m.bytesTotal(), m.chunksProcessed(),
                m.chunksTotal(), startedAt, finishedAt, durationMs, m.throughputBytesPerSecond(), m.compressionRatio(),
                m.errorCount(), m.warningCount(), m.inputFileSizeBytes(), m.outputFileSizeBytes(),
                m.inputFileChecksum(), m.outputFileChecksum());
    }
}
