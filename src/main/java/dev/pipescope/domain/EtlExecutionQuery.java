package dev.pipescope.domain;

import java.time.Instant;

/**
 * Which ETL executions to list: filters on job, status, environment and start time ({@code from}
 * inclusive, {@code to} exclusive), a sort and a limit. Null filters match everything.
 *
 * <pre>{@code
 * db.etl().listExecutions(EtlExecutionQuery.all().status("FAILED").environment("PROD").sort(Sort.OLDEST_FIRST));
 * }</pre>
 */
public record EtlExecutionQuery(String jobId, String status, String environment, Instant from, Instant to,
                                Sort sort, int limit) {
    public static final int DEFAULT_LIMIT = 100;

    /** Orders by start time, or by duration (running executions last). */
    public enum Sort { NEWEST_FIRST, OLDEST_FIRST, LONGEST_FIRST }

    public EtlExecutionQuery {
        Arguments.required(sort, "sort");
        Arguments.validatePage(0, limit);
        if (from != null && to != null && !from.isBefore(to)) {
            throw new dev.pipescope.error.InvalidArgumentException("execution query range is empty: from " + from
                    + " is not before to " + to);
        }
    }

    public static EtlExecutionQuery all() {
        return new EtlExecutionQuery(null, null, null, null, null, Sort.NEWEST_FIRST, DEFAULT_LIMIT);
    }

    public EtlExecutionQuery job(String id) {
        return new EtlExecutionQuery(id, status, environment, from, to, sort, limit);
    }

    /** @param value RUNNING, SUCCESS or FAILED */
    public EtlExecutionQuery status(String value) {
        return new EtlExecutionQuery(jobId, value, environment, from, to, sort, limit);
    }

    /** @param value TEST or PROD */
    public EtlExecutionQuery environment(String value) {
        return new EtlExecutionQuery(jobId, status, value, from, to, sort, limit);
    }

    public EtlExecutionQuery between(Instant fromInclusive, Instant toExclusive) {
        return new EtlExecutionQuery(jobId, status, environment, fromInclusive, toExclusive, sort, limit);
    }

    public EtlExecutionQuery sort(Sort value) {
        return new EtlExecutionQuery(jobId, status, environment, from, to, value, limit);
    }

    public EtlExecutionQuery limit(int value) {
        return new EtlExecutionQuery(jobId, status, environment, from, to, sort, value);
    }
}
