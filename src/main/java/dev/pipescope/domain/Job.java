package dev.pipescope.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * One row of Hyperpage's {@code jobs}, as stored. Times are stored as epoch milliseconds; here they are
 * instants. Hyperpage's own job code never writes {@code started_at} and writes {@code completed_at}
 * only for completed jobs; the unified runs fill the gaps from {@code created_at}/{@code updated_at}
 * (docs/sources.md), this record does not.
 *
 * @param priority 1 (highest) to 4
 * @param tool the tool the job is for, as a short name: the slug ({@code github}) of the Tool object
 *             Hyperpage stores in {@code jobs.tool}, else its name; null for a job of no tool
 * @param toolJson {@code jobs.tool} as stored: Hyperpage writes the JSON of the whole Tool object (2–3 KB);
 *             null for a job of no tool
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
        String toolJson,
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
