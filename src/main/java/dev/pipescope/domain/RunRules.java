package dev.pipescope.domain;

import dev.pipescope.error.IllegalStateTransitionException;
import dev.pipescope.error.InvalidArgumentException;
import java.time.Instant;

/** The rules of a run's life, applied the same way by every {@link RunRepository} before it writes. */
public final class RunRules {
    private RunRules() {}

    /** @throws IllegalStateTransitionException unless the run is running */
    public static void requireRunning(PipelineRun run, String action) {
        if (run.status() != RunStatus.RUNNING) {
            throw new IllegalStateTransitionException("cannot " + action + " run " + run.id() + " of pipeline "
                    + run.pipelineId() + ": it is " + run.status().dbValue() + ", not running");
        }
    }

    /** Checks measures a caller passes in. */
    public static RunMeasures validMeasures(RunMeasures measures, String runId) {
        Arguments.required(measures, "measures of run " + runId);
        if (measures.bytesProcessed() < 0 || measures.bytesTotal() < 0 || measures.chunksProcessed() < 0
                || measures.chunksTotal() < 0 || measures.errorCount() < 0 || measures.warningCount() < 0
                || measures.inputFileSizeBytes() < 0 || measures.outputFileSizeBytes() < 0) {
            throw new InvalidArgumentException("measures of run " + runId + " have a negative count: " + measures);
        }
        if (!Double.isFinite(measures.throughputBytesPerSecond()) || measures.throughputBytesPerSecond() < 0) {
            throw new InvalidArgumentException("measures of run " + runId + " have throughput "
                    + measures.throughputBytesPerSecond() + "; it must be a finite number, 0 or more");
        }
        if (measures.compressionRatio() != null && !Double.isFinite(measures.compressionRatio())) {
            throw new InvalidArgumentException("measures of run " + runId + " have compression ratio "
                    + measures.compressionRatio());
        }
        return measures;
    }

    /** A new running run. */
    public static PipelineRun started(String id, String pipelineId, int attempt, Instant at, RunMeasures initial) {
        Arguments.required(pipelineId, "pipeline id");
        Arguments.required(at, "run start time");
        return new PipelineRun(id, pipelineId, RunStatus.RUNNING, attempt, at, null, at, null,
                validMeasures(initial, id), null);
    }

    /** A running run with new measures, heard of at {@code now}. */
    public static PipelineRun progressed(PipelineRun run, RunMeasures measures, Instant now) {
        requireRunning(run, "update");
        validMeasures(measures, run.id());
        var heartbeat = now.isBefore(run.startedAt()) ? run.startedAt() : now;
        return new PipelineRun(run.id(), run.pipelineId(), run.status(), run.attempt(), run.startedAt(), null,
                heartbeat, null, measures, null);
    }

    /**
     * The run ended with {@code status} at {@code at}: duration from the times, throughput computed
     * when the caller gave none.
     */
    public static PipelineRun ended(PipelineRun run, RunStatus status, Instant at, RunMeasures measures, String error) {
        requireRunning(run, "end");
        Arguments.required(at, "end time of run " + run.id());
        validMeasures(measures, run.id());
        if (!status.finished()) {
            throw new IllegalStateTransitionException("run " + run.id() + " cannot end as " + status);
        }
        if (at.isBefore(run.startedAt())) {
            throw new InvalidArgumentException("run " + run.id() + " cannot end at " + Timestamps.format(at)
                    + ", before its start " + Timestamps.format(run.startedAt()));
        }
        long durationMs = at.toEpochMilli() - run.startedAt().toEpochMilli();
        var m = measures;
        if (m.throughputBytesPerSecond() == 0.0 && m.bytesProcessed() > 0 && durationMs > 0) {
            m = new RunMeasures(m.bytesProcessed(), m.bytesTotal(), m.chunksProcessed(), m.chunksTotal(),
                    m.bytesProcessed() * 1000.0 / durationMs, m.compressionRatio(), m.errorCount(), m.warningCount(),
                    m.inputFileSizeBytes(), m.outputFileSizeBytes(), m.inputFileChecksum(), m.outputFileChecksum());
        }
        return new PipelineRun(run.id(), run.pipelineId(), status, run.attempt(), run.startedAt(), at, at,
                durationMs, m, error);
    }

    /** Checks a run given whole to {@link RunRepository#recordAll}. */
    public static void validateRecorded(PipelineRun run) {
        Arguments.required(run, "run");
        if (run.id().isBlank()) {
            throw new InvalidArgumentException("a run of pipeline " + run.pipelineId() + " has a blank id");
        }
        if (run.attempt() < 1) {
            throw new InvalidArgumentException("run " + run.id() + " has attempt " + run.attempt() + "; it must be 1 or more");
        }
        validMeasures(run.measures(), run.id());
        if (run.status() == RunStatus.PENDING) {
            throw new InvalidArgumentException("run " + run.id() + " has status " + run.status()
                    + "; pipeline_runs holds running, succeeded, failed or cancelled");
        }
        if (run.status().finished() != (run.finishedAt() != null)) {
            throw new InvalidArgumentException("run " + run.id() + " is " + run.status().dbValue()
                    + (run.finishedAt() == null ? " without an end time" : " but has an end time"));
        }
        if (run.finishedAt() != null && run.finishedAt().isBefore(run.startedAt())) {
            throw new InvalidArgumentException("run " + run.id() + " ends before it starts");
        }
    }
}
