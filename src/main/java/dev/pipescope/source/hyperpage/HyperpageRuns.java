package dev.pipescope.source.hyperpage;

import dev.pipescope.domain.Job;
import dev.pipescope.domain.JobAttempt;
import dev.pipescope.domain.JobStatus;
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

/**
 * Hyperpage's jobs, with their history, as unified runs. Hyperpage's job code writes {@code completed_at} only for
 * completed jobs (and, in its SQLite file, never {@code started_at}), while {@code created_at}/{@code updated_at}
 * (epoch ms in SQLite, {@code timestamptz} in PostgreSQL) are always there; so that every job sits on the time
 * axis:
 *
 * <ul>
 *   <li>start = {@code started_at}, else {@code created_at} (when the job was queued);
 *   <li>end = {@code completed_at}, else {@code updated_at} for a job that ended (failed, cancelled,
 *       timeout: its last status change); none while pending or running;
 *   <li>duration = {@code completed_at - started_at} only when both are stored (a queued time is not a
 *       start); measure {@code queued_to_end_ms} = end - {@code created_at} for every ended job;
 *   <li>attempts = tries, as for ETL and dagger: {@code retry_count + recovery_attempts}, + 1 when the
 *       job ran in its current cycle (running, completed, failed, timeout, or a stored start); at least
 *       the job's attempts ({@code job_history}). A pending job that never ran has 0;
 *   <li>status: {@code timeout} is {@code FAILED} (the source status keeps {@code timeout});
 *   <li>error: the job's {@code last_error} (PostgreSQL), else its last attempt's error.
 * </ul>
 * These rules hold for both of Hyperpage's databases: its SQLite file and its PostgreSQL database only differ
 * in how a job and its attempts are read ({@link Jobs}).
 */
final class HyperpageRuns implements RunReader {
    /** One job with its attempts, first first. */
    record JobRun(Job job, List<JobAttempt> attempts) {}

    /** How one engine's tables give every job with its attempts, inside the caller's read transaction. */
    @FunctionalInterface
    interface Jobs {
        List<JobRun> all(Handle h);
    }

    private final Jobs jobs;

    HyperpageRuns(Jobs jobs) {
        this.jobs = jobs;
    }

    /** Over Hyperpage's SQLite file. */
    static HyperpageRuns sqlite(String file) {
        return new HyperpageRuns(h -> {
            var history = new HashMap<String, List<JobAttempt>>();
            h.createQuery(HyperpageSql.ALL_HISTORY).map((rs, ctx) -> SqliteHyperpageStore.mapAttempt(rs, file))
                    .forEach(a -> history.computeIfAbsent(a.jobId(), k -> new ArrayList<>()).add(a));
            return h.createQuery(HyperpageSql.ALL_JOBS).map((rs, ctx) -> SqliteHyperpageStore.mapJob(rs, file)).list()
                    .stream().map(job -> new JobRun(job, history.getOrDefault(job.id(), List.of()))).toList();
        });
    }

    /** Over Hyperpage's PostgreSQL database. */
    static HyperpageRuns postgres(String location) {
        return new HyperpageRuns(h -> PostgresJobs.all(h, location));
    }

    @Override
    public RunSource source() {
        return RunSource.HYPERPAGE;
    }

    @Override
    public List<Run> read(Handle h, RunFilter filter) {
        return jobs.all(h).stream().map(r -> run(r.job(), r.attempts())).toList();
    }

    /** The job as a unified run, by the rules above. */
    static Run run(Job job, List<JobAttempt> attempts) {
        var status = job.status();
        boolean ran = job.startedAt() != null || status == JobStatus.RUNNING || status == JobStatus.COMPLETED
                || status == JobStatus.FAILED || status == JobStatus.TIMEOUT;
        int counted = job.retryCount() + job.recoveryAttempts() + (ran ? 1 : 0);
        String error = job.lastError();
        for (int i = attempts.size() - 1; error == null && i >= 0; i--) {
            error = attempts.get(i).errorMessage();
        }
        var start = job.startedAt() != null ? job.startedAt() : job.createdAt();
        var end = job.completedAt() != null ? job.completedAt() : status.ended() ? job.updatedAt() : null;
        var measures = new LinkedHashMap<String, Double>();
        measures.put("priority", (double) job.priority());
        measures.put("retry_count", (double) job.retryCount());
        measures.put("recovery_attempts", (double) job.recoveryAttempts());
        if (end != null && job.createdAt() != null) {
            measures.put("queued_to_end_ms", (double) Duration.between(job.createdAt(), end).toMillis());
        }
        var duration = job.startedAt() == null || job.completedAt() == null ? null
                : Duration.between(job.startedAt(), job.completedAt());
        return new Run(RunSource.HYPERPAGE, job.id(), job.type(), job.name(), status.toRunStatus(),
                status.dbValue(), start, end, duration, Math.max(counted, attempts.size()), error, measures);
    }
}
