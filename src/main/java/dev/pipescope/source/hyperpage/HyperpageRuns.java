package dev.pipescope.source.hyperpage;

import dev.pipescope.domain.Job;
import dev.pipescope.domain.JobAttempt;
import dev.pipescope.domain.Run;
import dev.pipescope.domain.RunFilter;
import dev.pipescope.domain.RunSource;
import dev.pipescope.source.RunReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** Hyperpage's jobs, with their history, as unified runs. */
final class HyperpageRuns implements RunReader {
    private final String file;

    HyperpageRuns(String file) {
        this.file = file;
    }

    @Override
    public RunSource source() {
        return RunSource.HYPERPAGE;
    }

    @Override
    public List<Run> read(Handle h, RunFilter filter) {
        var history = new HashMap<String, List<JobAttempt>>();
        h.createQuery(HyperpageSql.ALL_HISTORY).map((rs, ctx) -> SqliteHyperpageStore.mapAttempt(rs, file))
                .forEach(a -> history.computeIfAbsent(a.jobId(), k -> new ArrayList<>()).add(a));
        return h.createQuery(HyperpageSql.ALL_JOBS).map((rs, ctx) -> SqliteHyperpageStore.mapJob(rs, file))
                .list().stream().map(job -> run(job, history.getOrDefault(job.id(), List.of()))).toList();
    }

    /** Attempts: the history rows when Hyperpage's log has them, else what the job's counters say. */
    private static Run run(Job job, List<JobAttempt> attempts) {
        int counted = job.retryCount() + job.recoveryAttempts() + (job.startedAt() != null ? 1 : 0);
        String error = null;
        for (var attempt : attempts) {
            if (attempt.errorMessage() != null) {
                error = attempt.errorMessage();
            }
        }
        var measures = new LinkedHashMap<String, Double>();
        measures.put("priority", (double) job.priority());
        measures.put("retry_count", (double) job.retryCount());
        measures.put("recovery_attempts", (double) job.recoveryAttempts());
        var duration = job.startedAt() == null || job.completedAt() == null ? null
                : Duration.between(job.startedAt(), job.completedAt());
        return new Run(RunSource.HYPERPAGE, job.id(), job.type(), job.name(), job.status().toRunStatus(),
                job.status().dbValue(), job.startedAt(), job.completedAt(), duration,
                Math.max(counted, attempts.size()), error, measures);
    }
}
