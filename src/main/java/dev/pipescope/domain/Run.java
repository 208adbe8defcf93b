package dev.pipescope.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One run of anything, in one shape whatever tool recorded it, so tables and charts work on all of
 * them: a Pipescope pipeline run, a Hyperpage job, an ETL execution, a dagger node outcome.
 *
 * @param id unique within its source (dagger: {@code dag_id/node_id})
 * @param ownerId what ran: pipeline id, Hyperpage job type, ETL job id, dagger dag id
 * @param name for people: pipeline name, job name, {@code dag/node}
 * @param sourceStatus the status word as the source stores it
 * @param start null when the source has no start time (dagger records one time per node, as {@code end})
 * @param end null while running, or when the source has no end time
 * @param duration null when unknown
 * @param attempts tries so far, at least 1 for anything that started
 * @param error the final error, null when none
 * @param measures numeric measures by name (empty when the source measures nothing)
 */
public record Run(
        RunSource source,
        String id,
        String ownerId,
        String name,
        RunStatus status,
        String sourceStatus,
        Instant start,
        Instant end,
        Duration duration,
        int attempts,
        String error,
        Map<String, Double> measures) {

    /** The order of every "what ran?" answer: newest first by {@link #time()}, runs without a time last. */
    public static final java.util.Comparator<Run> NEWEST_FIRST = java.util.Comparator.comparing(
            (Run r) -> r.time().orElse(null), java.util.Comparator.nullsLast(java.util.Comparator.reverseOrder()));

    public Run {
        Objects.requireNonNull(source, "run source");
        Objects.requireNonNull(id, "run id");
        Objects.requireNonNull(status, "run status");
        measures = measures == null ? Map.of() : Map.copyOf(measures);
    }

    /** The time the run is filed under: its start, else its end. */
    public Optional<Instant> time() {
        return Optional.ofNullable(start != null ? start : end);
    }

    public Optional<Duration> durationIfKnown() {
        return Optional.ofNullable(duration);
    }

    public Optional<String> errorIfAny() {
        return Optional.ofNullable(error);
    }

    /** The unified view of a Pipescope run of a pipeline named {@code pipelineName}. */
    public static Run of(PipelineRun r, String pipelineName) {
        return new Run(RunSource.PIPESCOPE, r.id(), r.pipelineId(), pipelineName, r.status(), r.status().dbValue(),
                r.startedAt(), r.finishedAt(), r.duration().orElse(null), r.attempt(), r.errorMessage(),
                r.measures().asMap());
    }
}
