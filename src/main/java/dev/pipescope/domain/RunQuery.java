package dev.pipescope.domain;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which {@code pipeline_runs} rows to list: optionally one pipeline, some statuses, a start-time range
 * ({@code from} inclusive, {@code to} exclusive), and a page. Results are newest first.
 *
 * <pre>{@code
 * db.runs().list(RunQuery.all().pipeline(id).status(RunStatus.FAILED).since(Instant.now().minus(Duration.ofDays(7))));
 * }</pre>
 *
 * @param pipelineId null for every pipeline
 * @param statuses empty for every status
 * @param from null for no lower bound
 * @param to null for no upper bound
 */
public record RunQuery(String pipelineId, Set<RunStatus> statuses, Instant from, Instant to, long offset, int limit) {
    /** The page size when none is given. */
    public static final int DEFAULT_LIMIT = 100;

    public RunQuery {
        statuses = statuses == null || statuses.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(statuses));
        Arguments.validatePage(offset, limit);
        if (from != null && to != null && !from.isBefore(to)) {
            throw new dev.pipescope.error.InvalidArgumentException("run query range is empty: from " + from
                    + " is not before to " + to);
        }
    }

    /** Every run, first page of {@value #DEFAULT_LIMIT}. */
    public static RunQuery all() {
        return new RunQuery(null, Set.of(), null, null, 0, DEFAULT_LIMIT);
    }

    public RunQuery pipeline(String id) {
        return new RunQuery(Arguments.required(id, "pipeline id"), statuses, from, to, offset, limit);
    }

    public RunQuery status(RunStatus... wanted) {
        var set = EnumSet.noneOf(RunStatus.class);
        for (var s : wanted) {
            set.add(Arguments.required(s, "run status"));
        }
        return new RunQuery(pipelineId, set, from, to, offset, limit);
    }

    public RunQuery between(Instant fromInclusive, Instant toExclusive) {
        return new RunQuery(pipelineId, statuses, fromInclusive, toExclusive, offset, limit);
    }

    public RunQuery since(Instant fromInclusive) {
        return new RunQuery(pipelineId, statuses, fromInclusive, to, offset, limit);
    }

    public RunQuery page(long newOffset, int newLimit) {
        return new RunQuery(pipelineId, statuses, from, to, newOffset, newLimit);
    }

    /** True when {@code run} satisfies the filters (not the page). */
    public boolean matches(PipelineRun run) {
        return (pipelineId == null || pipelineId.equals(run.pipelineId()))
                && (statuses.isEmpty() || statuses.contains(run.status()))
                && (from == null || !run.startedAt().isBefore(from))
                && (to == null || run.startedAt().isBefore(to));
    }
}
