package dev.pipescope.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One row of the ETL framework's {@code executiontable} with its attempts, first first.
 *
 * @param environment TEST, PROD or null, as stored
 * @param status RUNNING, SUCCESS or FAILED, as stored
 * @param finishedAt null while running
 */
public record EtlExecution(String id, String jobId, String environment, String status, String error,
                           Instant startedAt, Instant finishedAt, List<EtlAttempt> attempts) {
    public EtlExecution {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    public Optional<Duration> duration() {
        return finishedAt == null ? Optional.empty() : Optional.of(Duration.between(startedAt, finishedAt));
    }

    /** The same status in the unified vocabulary; empty for a word the framework does not write. */
    public Optional<RunStatus> runStatus() {
        return switch (status) {
            case "RUNNING" -> Optional.of(RunStatus.RUNNING);
            case "SUCCESS" -> Optional.of(RunStatus.SUCCEEDED);
            case "FAILED" -> Optional.of(RunStatus.FAILED);
            default -> Optional.empty();
        };
    }
}
