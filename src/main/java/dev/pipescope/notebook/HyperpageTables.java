package dev.pipescope.notebook;

import dev.pipescope.domain.Job;
import dev.pipescope.domain.Layout;
import dev.pipescope.domain.RunFilter;
import tech.tablesaw.api.Table;

import java.time.Duration;
import java.util.Locale;

/** Tables of Hyperpage's job queue. */
final class HyperpageTables {

    private final CurrentDatabase current;

    HyperpageTables(CurrentDatabase current) {
        this.current = current;
    }

    Table jobs() {
        current.require(Layout.HYPERPAGE, "jobs()");
        var jobs = current.db().hyperpage().jobs();
        long total = jobs.countByStatus().values().stream().mapToLong(Long::longValue).sum();
        var shown = jobs.list(RunFilter.DEFAULT_LIMIT);
        String title = shown.size() < total
                ? Captions.firstOf("jobs", shown.size(), total, "pipescope.db().hyperpage().jobs().list(n) or runs(RunFilter"
                        + ".all().source(RunSource.HYPERPAGE).limit(" + total + ")) for all")
                : "jobs";
        return new TableBuilder<Job>(title)
                .string("id", Job::id)
                .string("name", Job::name)
                .string("type", Job::type)
                .string("status", j -> j.status().name().toLowerCase(Locale.ROOT))
                .ints("priority", Job::priority)
                .string("tool", Job::tool)
                .instant("created_at", Job::createdAt)
                .instant("started_at", Job::startedAt)
                .instant("completed_at", Job::completedAt)
                .longs("duration_ms", j -> j.startedAt() != null && j.completedAt() != null
                        ? Duration.between(j.startedAt(), j.completedAt()).toMillis() : null)
                .ints("retries", Job::retryCount)
                .build(shown);
    }
}
