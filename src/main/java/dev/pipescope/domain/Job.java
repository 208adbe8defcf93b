package dev.pipescope.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * One row of Hyperpage's {@code jobs}, as stored. Times are stored as epoch milliseconds in its SQLite file and as
 * {@code timestamp with time zone} in its PostgreSQL database; here they are instants (UTC). Hyperpage's own job code never writes {@code started_at} in
 * its SQLite file and writes {@code completed_at} only for completed jobs; the unified runs fill the gaps from {@code created_at}/{@code updated_at}
 * (docs/sources.md), this record does not.
 *
 * @param id the job's id as Hyperpage shows it ({@code github-1763542800000-a1b2c3}); in PostgreSQL the
 *             {@code externalId} its history records, else the {@code bigserial} id as text
 * @param name in PostgreSQL, from the job's first history row ({@code details.name}), else its type
 * @param priority 1 (lowest) to 4 (critical); in PostgreSQL from {@code details.priority}, else 2 (medium), as
 *             Hyperpage reads it back
 * @param tool the tool the job is for, as a short name: the slug ({@code github}) of the Tool object
 *             Hyperpage stores in {@code jobs.tool} (PostgreSQL: {@code details.tool}), else its name; null for a
 *             job of no tool
 * @param toolJson the Tool object as stored: Hyperpage writes the JSON of the whole Tool object (2–3 KB);
 *             null for a job of no tool
 * @param payload JSON text, as stored
 * @param result JSON text, null until the job completes (PostgreSQL: the latest result its history records)
 * @param retryCount how many times the job was re-queued after ending badly ({@code retry_count}; in PostgreSQL
 *             {@code attempts}, where Hyperpage writes it)
 * @param persistedAt when the row was last saved ({@code persisted_at}, SQLite only); null in a PostgreSQL database
 * @param recoveryAttempts how many times it was found running after its process died (SQLite only; 0 in a
 *             PostgreSQL database, which keeps no such count)
 * @param scheduledAt when the job was due ({@code scheduled_at}, PostgreSQL only; Hyperpage writes its creation
 *             time); null in a SQLite file, which has no such column
 * @param lastError the message of the job's last error ({@code last_error}, PostgreSQL only: Hyperpage writes it
 *             when a job fails and clears it when one completes); null in a SQLite file, whose errors are in
 *             {@code job_history}
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
        int recoveryAttempts,
        Instant scheduledAt,
        String lastError) {

    public Job {
        Objects.requireNonNull(id, "job id");
        Objects.requireNonNull(status, "job status");
    }
}
