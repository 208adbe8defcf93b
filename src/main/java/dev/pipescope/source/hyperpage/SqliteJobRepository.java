package dev.pipescope.source.hyperpage;

import dev.pipescope.sqlite.SqliteConnections;

import static dev.pipescope.domain.Arguments.required;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipescope.domain.Job;
import dev.pipescope.domain.JobAttempt;
import dev.pipescope.domain.JobRepository;
import dev.pipescope.domain.JobSpec;
import dev.pipescope.domain.JobStatus;
import dev.pipescope.error.IllegalStateTransitionException;
import dev.pipescope.error.InvalidArgumentException;
import dev.pipescope.error.NotFoundException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.jdbi.v3.core.Handle;

/** The job queue and its attempt log. */
final class SqliteJobRepository implements JobRepository {
    private static final char[] SUFFIX = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private final SqliteConnections db;
    private final Clock clock;
    private final ObjectMapper json;
    private final Random random = new SecureRandom();

    SqliteJobRepository(SqliteConnections db, Clock clock, ObjectMapper json) {
        this.db = db;
        this.clock = clock;
        this.json = json;
    }

    @Override
    public Job submit(JobSpec spec) {
        required(spec, "job spec");
        if (spec.type() == null || spec.type().isBlank()) {
            throw new InvalidArgumentException("job type is blank");
        }
        if (spec.name() == null || spec.name().isBlank()) {
            throw new InvalidArgumentException("job name is blank");
        }
        if (spec.priority() < 1 || spec.priority() > 4) {
            throw new InvalidArgumentException("job priority must be 1 to 4, was " + spec.priority());
        }
        requireJson(spec.payload(), "payload of job '" + spec.name() + "'");
        long now = clock.millis();
        var tool = JobTools.toStored(spec.tool());
        var prefix = tool == null ? spec.type() : JobTools.name(tool);
        var suffix = new StringBuilder(6);
        for (int i = 0; i < 6; i++) {
            suffix.append(SUFFIX[random.nextInt(SUFFIX.length)]);
        }
        var id = prefix + "-" + now + "-" + suffix;
        return db.write("queue job '" + spec.name() + "' in jobs", h -> {
            h.createUpdate(HyperpageSql.INSERT_JOB).bind("id", id).bind("type", spec.type())
                    .bind("name", spec.name()).bind("priority", spec.priority()).bind("tool", tool)
                    .bind("endpoint", spec.endpoint()).bind("payload", spec.payload()).bind("now", now).execute();
            return load(h, id);
        });
    }

    private void requireJson(String text, String what) {
        if (text == null) {
            throw new InvalidArgumentException(what + " is null; it must be JSON text");
        }
        try {
            json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidArgumentException(what + " is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public Optional<Job> find(String id) {
        required(id, "job id");
        return db.read("find job " + id, h -> h.createQuery(HyperpageSql.FIND_JOB).bind("id", id)
                .map((rs, ctx) -> SqliteHyperpageStore.mapJob(rs, db.file())).findOne());
    }

    @Override
    public List<Job> list(int limit, JobStatus... statuses) {
        var wanted = HyperpageReads.wanted(limit, statuses);
        var array = new StringBuilder("[");
        for (var s : wanted) {
            array.append(array.length() > 1 ? "," : "").append('"').append(s.dbValue()).append('"');
        }
        return db.read("list jobs", h -> h.createQuery(HyperpageSql.LIST_JOBS)
                .bind("anyStatus", wanted.isEmpty()).bind("statuses", array.append(']').toString())
                .bind("limit", limit).map((rs, ctx) -> SqliteHyperpageStore.mapJob(rs, db.file())).list());
    }

    @Override
    public Map<JobStatus, Long> countByStatus() {
        return db.read("count jobs by status", h -> HyperpageReads.countByStatus(h, HyperpageSql.COUNT_BY_STATUS, db.file()));
    }

    @Override
    public Job start(String id) {
        return transition(id, "start", (h, job, now) -> {
            expect(job, "start", JobStatus.PENDING);
            h.createUpdate(HyperpageSql.INSERT_ATTEMPT).bind("jobId", id).bind("attempt", nextAttempt(h, job))
                    .bind("startedAt", now).execute();
            return with(job, JobStatus.RUNNING, job.result(), Instant.ofEpochMilli(now), null, job.retryCount(),
                    job.recoveryAttempts());
        });
    }

    /** The counters' attempt number, or one past the log's last when the log is ahead of them. */
    private static int nextAttempt(Handle h, Job job) {
        return Math.max(job.retryCount() + job.recoveryAttempts() + 1,
                h.createQuery(HyperpageSql.MAX_ATTEMPT).bind("jobId", job.id()).mapTo(Integer.class).one() + 1);
    }

    @Override
    public Job complete(String id, String resultJson) {
        requireJson(resultJson, "result of job " + id);
        return end(id, "complete", JobStatus.COMPLETED, resultJson, null);
    }

    @Override
    public Job fail(String id, String error) {
        required(error, "error of job " + id);
        return end(id, "fail", JobStatus.FAILED, null, error);
    }

    @Override
    public Job timeOut(String id, String error) {
        required(error, "error of job " + id);
        return end(id, "time out", JobStatus.TIMEOUT, null, error);
    }

    @Override
    public Job cancel(String id, String reason) {
        required(reason, "reason for cancelling job " + id);
        return transition(id, "cancel", (h, job, now) -> {
            expect(job, "cancel", JobStatus.PENDING, JobStatus.RUNNING);
            if (job.status() == JobStatus.RUNNING) {
                closeAttempt(h, job, JobStatus.CANCELLED, now, reason);
            }
            return with(job, JobStatus.CANCELLED, job.result(), job.startedAt(), Instant.ofEpochMilli(now),
                    job.retryCount(), job.recoveryAttempts());
        });
    }

    @Override
    public Job retry(String id) {
        return transition(id, "retry", (h, job, now) -> {
            expect(job, "retry", JobStatus.FAILED, JobStatus.TIMEOUT, JobStatus.CANCELLED);
            return with(job, JobStatus.PENDING, null, null, null, job.retryCount() + 1, job.recoveryAttempts());
        });
    }

    private Job end(String id, String action, JobStatus status, String result, String error) {
        return transition(id, action, (h, job, now) -> {
            expect(job, action, JobStatus.RUNNING);
            closeAttempt(h, job, status, now, error);
            return with(job, status, result, job.startedAt(), Instant.ofEpochMilli(now), job.retryCount(),
                    job.recoveryAttempts());
        });
    }

    /** Closes the running attempt's history row, or writes it whole when it started unlogged. */
    private static void closeAttempt(Handle h, Job job, JobStatus status, long now, String error) {
        int closed = h.createUpdate(HyperpageSql.CLOSE_ATTEMPT).bind("jobId", job.id())
                .bind("status", status.dbValue()).bind("completedAt", now).bind("error", error).execute();
        if (closed == 0) {
            long started = job.startedAt() == null ? now : Math.min(now, job.startedAt().toEpochMilli());
            h.createUpdate(HyperpageSql.INSERT_ENDED_ATTEMPT).bind("jobId", job.id())
                    .bind("attempt", nextAttempt(h, job)).bind("status", status.dbValue())
                    .bind("startedAt", started).bind("completedAt", now).bind("error", error).execute();
        }
    }

    private static void expect(Job job, String action, JobStatus... allowed) {
        for (var s : allowed) {
            if (job.status() == s) {
                return;
            }
        }
        throw new IllegalStateTransitionException("cannot " + action + " job " + job.id() + ": it is "
                + job.status().dbValue() + ", and only " + List.of(allowed).stream().map(JobStatus::dbValue).toList()
                + " jobs can be");
    }

    private static Job with(Job job, JobStatus status, String result, Instant startedAt, Instant completedAt,
                            int retryCount, int recoveryAttempts) {
        return new Job(job.id(), job.type(), job.name(), job.priority(), status, job.tool(), job.toolJson(), job.endpoint(),
                job.payload(), result, job.createdAt(), job.updatedAt(), startedAt, completedAt, retryCount,
                job.persistedAt(), recoveryAttempts, job.scheduledAt(), job.lastError());
    }

    @FunctionalInterface
    private interface Transition {
        Job apply(Handle h, Job job, long now);
    }

    private Job transition(String id, String action, Transition transition) {
        required(id, "job id");
        return db.write(action + " job " + id + " in jobs", h -> {
            long now = clock.millis();
            var job = load(h, id);
            var next = transition.apply(h, job, now);
            store(h, job.status(), next, now);
            return load(h, id);
        });
    }

    private static void store(Handle h, JobStatus expected, Job next, long now) {
        int changed = h.createUpdate(HyperpageSql.UPDATE_JOB).bind("id", next.id())
                .bind("status", next.status().dbValue()).bind("result", next.result()).bind("updatedAt", now)
                .bind("startedAt", SqliteHyperpageStore.toMillis(next.startedAt())).bind("completedAt", SqliteHyperpageStore.toMillis(next.completedAt()))
                .bind("retryCount", next.retryCount()).bind("recoveryAttempts", next.recoveryAttempts())
                .bind("expectedStatus", expected.dbValue()).execute();
        if (changed != 1) {
            throw new IllegalStateException("job " + next.id() + " changed status under a write transaction");
        }
    }

    private Job load(Handle h, String id) {
        return h.createQuery(HyperpageSql.FIND_JOB).bind("id", id).map((rs, ctx) -> SqliteHyperpageStore.mapJob(rs, db.file()))
                .findOne().orElseThrow(() -> new NotFoundException("no job with id " + id + " in jobs of " + db.file()));
    }

    @Override
    public List<JobAttempt> history(String jobId) {
        required(jobId, "job id");
        return db.read("read job_history of job " + jobId, h -> h.createQuery(HyperpageSql.HISTORY_OF)
                .bind("jobId", jobId).map((rs, ctx) -> SqliteHyperpageStore.mapAttempt(rs, db.file())).list());
    }

    @Override
    public List<Job> recoverInterrupted(int maxRecoveryAttempts) {
        if (maxRecoveryAttempts < 0) {
            throw new InvalidArgumentException("max recovery attempts must be 0 or more, was " + maxRecoveryAttempts);
        }
        return db.write("recover interrupted jobs in jobs", h -> {
            long now = clock.millis();
            var recovered = new ArrayList<Job>();
            var running = h.createQuery(HyperpageSql.RUNNING_JOBS).map((rs, ctx) -> SqliteHyperpageStore.mapJob(rs, db.file())).list();
            for (var job : running) {
                closeAttempt(h, job, JobStatus.FAILED, now, "interrupted: the process running it ended");
                boolean giveUp = job.recoveryAttempts() >= maxRecoveryAttempts;
                var next = giveUp
                        ? with(job, JobStatus.FAILED, null, job.startedAt(), Instant.ofEpochMilli(now),
                                job.retryCount(), job.recoveryAttempts() + 1)
                        : with(job, JobStatus.PENDING, null, null, null, job.retryCount(), job.recoveryAttempts() + 1);
                store(h, JobStatus.RUNNING, next, now);
                recovered.add(load(h, job.id()));
            }
            return recovered;
        });
    }
}
