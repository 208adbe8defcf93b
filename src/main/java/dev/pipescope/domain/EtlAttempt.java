package dev.pipescope.domain;

import java.time.Instant;

/** One row of {@code executionattempttable}. @param attemptIndex from 1 @param finishedAt null while running */
public record EtlAttempt(String id, String executionId, int attemptIndex, String status, String error,
                         Instant startedAt, Instant finishedAt) {}
