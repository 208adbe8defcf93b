package dev.pipescope.domain;

import java.time.Instant;

/**
 * One row of Hyperpage's {@code job_history}: one attempt at running a job.
 *
 * @param attempt 1 for the first run, one more for each retry or recovery
 * @param completedAt null while the attempt runs
 * @param durationMs null while the attempt runs
 */
public record JobAttempt(long id, String jobId, int attempt, JobStatus status, Instant startedAt,
                         Instant completedAt, Long durationMs, String errorMessage) {}
