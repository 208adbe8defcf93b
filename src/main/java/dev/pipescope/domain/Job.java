package dev.pipescope.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * One row of Hyperpage's {@code jobs}. Times are stored as epoch milliseconds; here they are instants.
 *
 * @param priority 1 (highest) to 4
 * @param payload JSON text, as stored
 * @param result JSON text, null until the job completes
 * @param retryCount how many times the job was re-queued after ending badly
 * @param recoveryAttempts how many times it was found running after its process died
 */
public record Job(
        String id,
        String type,
        String name,
        int priority,
        JobStatus status,
        String tool,
        String endpoint,
        String payload,
        String result,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant completedAt,
        int retryCount,
        Instant persistedAt,
        int recoveryAttempts) {

    public Job {
        Objects.requireNonNull(id, "job id");
        Objects.requireNonNull(status, "job status");
    }
}
