package dev.pipescope.source.hyperpage;

import static dev.pipescope.domain.Arguments.required;

import dev.pipescope.Connections;
import dev.pipescope.domain.Job;
import dev.pipescope.domain.JobAttempt;
import dev.pipescope.domain.JobRepository;
import dev.pipescope.domain.JobSpec;
import dev.pipescope.domain.JobStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Hyperpage's PostgreSQL job queue, read: jobs mapped by {@link PostgresJobRows}, their attempts read from the
 * status changes {@code job_history} records. Every transition is refused: Hyperpage runs its jobs.
 */
final class PostgresJobs implements JobRepository {
    private final Connections db;

    PostgresJobs(Connections db) {
        this.db = db;
    }

    @Override
    public Optional<Job> find(String id) {
        required(id, "job id");
        return db.read("find job " + id, h -> h.createQuery(HyperpagePostgresSql.FIND_JOB).bind("id", id)
                .map((rs, ctx) -> PostgresJobRows.job(rs, db.location()).job()).findOne());
    }

    @Override
    public List<Job> list(int limit, JobStatus... statuses) {
        var wanted = HyperpageReads.wanted(limit, statuses);
        var words = wanted.stream().map(JobStatus::dbValue).toArray(String[]::new);
        return db.read("list jobs", h -> h.createQuery(HyperpagePostgresSql.LIST_JOBS)
                .bind("anyStatus", wanted.isEmpty()).bindArray("statuses", String.class, (Object[]) words)
                .bind("limit", limit).map((rs, ctx) -> PostgresJobRows.job(rs, db.location()).job()).list());
    }

    @Override
    public Map<JobStatus, Long> countByStatus() {
        return db.read("count jobs by status",
                h -> HyperpageReads.countByStatus(h, HyperpagePostgresSql.COUNT_BY_STATUS, db.location()));
    }

    @Override
    public List<JobAttempt> history(String jobId) {
        required(jobId, "job id");
        return db.read("read job_history of job " + jobId, h -> PostgresJobRows.attempts(jobId,
                h.createQuery(HyperpagePostgresSql.EVENTS_OF).bind("id", jobId)
                        .map((rs, ctx) -> PostgresJobRows.event(rs, db.location())).list()));
    }

    /** Every job with its attempts, newest created first, inside the caller's read transaction (unified runs). */
    static List<HyperpageRuns.JobRun> all(Handle h, String location) {
        var events = new HashMap<Long, List<PostgresJobRows.Event>>();
        h.createQuery(HyperpagePostgresSql.ALL_EVENTS).map((rs, ctx) -> PostgresJobRows.event(rs, location))
                .forEach(e -> events.computeIfAbsent(e.jobKey(), k -> new ArrayList<>()).add(e));
        return h.createQuery(HyperpagePostgresSql.ALL_JOBS).map((rs, ctx) -> PostgresJobRows.job(rs, location)).list()
                .stream().map(row -> new HyperpageRuns.JobRun(row.job(), PostgresJobRows.attempts(row.job().id(),
                        events.getOrDefault(row.key(), List.of())))).toList();
    }

    @Override
    public Job submit(JobSpec spec) {
        throw PostgresHyperpageStore.refused(db, "queue a job");
    }

    @Override
    public Job start(String id) {
        throw PostgresHyperpageStore.refused(db, "start job " + id);
    }

    @Override
    public Job complete(String id, String resultJson) {
        throw PostgresHyperpageStore.refused(db, "complete job " + id);
    }

    @Override
    public Job fail(String id, String error) {
        throw PostgresHyperpageStore.refused(db, "fail job " + id);
    }

    @Override
    public Job timeOut(String id, String error) {
        throw PostgresHyperpageStore.refused(db, "time out job " + id);
    }

    @Override
    public Job cancel(String id, String reason) {
        throw PostgresHyperpageStore.refused(db, "cancel job " + id);
    }

    @Override
    public Job retry(String id) {
        throw PostgresHyperpageStore.refused(db, "retry job " + id);
    }

    @Override
    public List<Job> recoverInterrupted(int maxRecoveryAttempts) {
        throw PostgresHyperpageStore.refused(db, "recover interrupted jobs");
    }
}
