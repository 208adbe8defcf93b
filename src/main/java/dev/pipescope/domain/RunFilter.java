package dev.pipescope.domain;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which {@link Run}s to read across sources: some sources, some statuses, a time range over
 * {@link Run#time()} ({@code from} inclusive, {@code to} exclusive), at most {@code limit}, newest first.
 *
 * @param sources empty for every source the file holds
 * @param statuses empty for every status
 */
public record RunFilter(Set<RunSource> sources, Set<RunStatus> statuses, Instant from, Instant to, int limit) {
    public static final int DEFAULT_LIMIT = 1000;

    public RunFilter {
        sources = sources == null || sources.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(sources));
        statuses = statuses == null || statuses.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(statuses));
        Arguments.validatePage(0, limit);
        if (from != null && to != null && !from.isBefore(to)) {
            throw new dev.pipescope.error.InvalidArgumentException("run filter range is empty: from " + from
                    + " is not before to " + to);
        }
    }

    /** Every source and status, capped at the newest {@value #DEFAULT_LIMIT} runs; {@link #everything()} has no cap. */
    public static RunFilter capped() {
        return new RunFilter(Set.of(), Set.of(), null, null, DEFAULT_LIMIT);
    }

    /** Every run of every source, no cap: for loading all of them into a table. */
    public static RunFilter everything() {
        return new RunFilter(Set.of(), Set.of(), null, null, Integer.MAX_VALUE);
    }

    public RunFilter source(RunSource... wanted) {
        var set = EnumSet.noneOf(RunSource.class);
        for (var s : wanted) {
            set.add(Arguments.required(s, "run source"));
        }
        return new RunFilter(set, statuses, from, to, limit);
    }

    public RunFilter status(RunStatus... wanted) {
        var set = EnumSet.noneOf(RunStatus.class);
        for (var s : wanted) {
            set.add(Arguments.required(s, "run status"));
        }
        return new RunFilter(sources, set, from, to, limit);
    }

    public RunFilter between(Instant fromInclusive, Instant toExclusive) {
        return new RunFilter(sources, statuses, fromInclusive, toExclusive, limit);
    }

    public RunFilter limit(int newLimit) {
        return new RunFilter(sources, statuses, from, to, newLimit);
    }

    /** True when this filter wants runs of {@code source}. */
    public boolean wants(RunSource source) {
        return sources.isEmpty() || sources.contains(source);
    }

    /** True when {@code run} satisfies status and time (the source is chosen before reading). */
    public boolean matches(Run run) {
        if (!statuses.isEmpty() && !statuses.contains(run.status())) {
            return false;
        }
        if (from == null && to == null) {
            return true;
        }
        var time = run.time().orElse(null);
        return time != null && (from == null || !time.isBefore(from)) && (to == null || time.isBefore(to));
    }
}
