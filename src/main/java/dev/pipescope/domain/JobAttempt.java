package dev.pipescope.domain;

import java.time.Instant;

/**
 * One row of Hyperpage's {@code job_history}: one attempt at running a job.
 *
 * <p>In Hyperpage's PostgreSQL database, whose {@code job_history} records status changes, an attempt runs from a
 * change to {@code running} to the next outcome (docs/sources.md).
 *
 * @param id the {@code job_history} row (PostgreSQL: the row of the change that started it, else of its outcome)
 * @param attempt 1 for the first run, one more for each retry or recovery
 * @param startedAt null when unknown (PostgreSQL: an outcome recorded with no start before it)
 * @param completedAt null while the attempt runs
 * @param durationMs ms; null while the attempt runs or when its start is unknown
 */
public record JobAttempt(long id, String jobId, int attempt, JobStatus status, Instant startedAt,
                         Instant completedAt, Long durationMs, String errorMessage) {}
