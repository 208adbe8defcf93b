package dev.pipescope.source.hyperpage;

import dev.pipescope.domain.Job;
import dev.pipescope.domain.JobAttempt;
import dev.pipescope.domain.JobStatus;
import dev.pipescope.error.CorruptDataException;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The mapping of Hyperpage's PostgreSQL job rows ({@link HyperpagePostgresSql}) to the same records as its SQLite
 * file's: {@link Job} and {@link JobAttempt}.
 *
 * <p>Hyperpage's PostgreSQL {@code job_history} is not an attempt log but one row per status change (its
 * {@code PostgresJobRepository}: the job's status when queued, then each {@code updateStatus}). Attempts are read
 * from it: a change to {@code running} starts one (a second while one runs is the same attempt); the next change
 * to {@code completed}, {@code failed}, {@code timeout} or {@code cancelled} ends it with that status, time and
 * error. An outcome recorded with no attempt running (a job queued already completed, as its batch API does) is an
 * attempt whose start is unknown; a job cancelled before it ran had none. A change back to {@code pending} starts
 * nothing.
 */
final class PostgresJobRows {
    /** Hyperpage's {@code JobPriority.MEDIUM}: what it reads for a job whose history records no priority. */
    static final int DEFAULT_PRIORITY = 2;

    private PostgresJobRows() {}

    /** A job and its {@code bigserial} id, which its {@code job_history} rows name. */
    record Row(long key, Job job) {}

    /**
     * One {@code job_history} row.
     *
     * @param jobKey     the {@code bigserial} id of its job
     * @param externalId the job's string id it records, null when it records none
     * @param error      the recorded result's error message, null when there is none as text
     */
    record Event(long id, long jobKey, JobStatus status, String externalId, String error, Instant at) {}

    /** Maps a row of {@link HyperpagePostgresSql#ALL_JOBS} (and the other job queries). */
    static Row job(ResultSet rs, String location) throws SQLException {
        long key = rs.getLong(1);
        var word = rs.getString(3);
        var status = JobStatus.parse(word).orElseThrow(() -> new CorruptDataException(
                "jobs row " + key + " in " + location + " has status '" + word + "', which Hyperpage never writes"));
        var externalId = rs.getString(12);
        var type = rs.getString(2);
        var name = rs.getString(13);
        var toolJson = rs.getString(15);
        if ("null".equals(toolJson)) {
            toolJson = null; // the JSON null Hyperpage records for a job of no tool
        }
        var job = new Job(externalId != null ? externalId : Long.toString(key), type, name != null ? name : type,
                priority(rs.getString(14), key, location), status, JobTools.name(toolJson), toolJson, rs.getString(16),
                rs.getString(4), rs.getString(17), instant(rs, 10), instant(rs, 11), instant(rs, 6), instant(rs, 7),
                rs.getInt(8), null, 0, instant(rs, 5), rs.getString(9));
        return new Row(key, job);
    }

    /**
     * The priority a history row records as JSON: a whole number as it is; absent or not a number, Hyperpage's
     * default (it reads {@code typeof priority === "number" ? priority : MEDIUM}).
     */
    static int priority(String json, long key, String location) {
        if (json == null || json.isEmpty() || !(Character.isDigit(json.charAt(0)) || json.charAt(0) == '-')) {
            return DEFAULT_PRIORITY;
        }
        try {
            return new BigDecimal(json).intValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new CorruptDataException("job_history of jobs row " + key + " in " + location + " records priority "
                    + json + ", which is not a whole number", e);
        }
    }

    /** Maps a row of {@link HyperpagePostgresSql#ALL_EVENTS} or {@link HyperpagePostgresSql#EVENTS_OF}. */
    static Event event(ResultSet rs, String location) throws SQLException {
        long id = rs.getLong(1);
        var word = rs.getString(3);
        var status = JobStatus.parse(word).orElseThrow(() -> new CorruptDataException(
                "job_history row " + id + " in " + location + " has status '" + word + "', which Hyperpage never writes"));
        return new Event(id, rs.getLong(2), status, rs.getString(4), rs.getString(5), instant(rs, 6));
    }

    /** The attempts a job's status changes (in the order recorded) make up, first first; see the class comment. */
    static List<JobAttempt> attempts(String jobId, List<Event> events) {
        var attempts = new ArrayList<JobAttempt>();
        Event running = null;
        for (var event : events) {
            var status = event.status();
            if (status == JobStatus.RUNNING) {
                running = running == null ? event : running;
            } else if (status.ended() && running != null) {
                long ms = Math.max(0, Duration.between(running.at(), event.at()).toMillis());
                attempts.add(new JobAttempt(running.id(), jobId, attempts.size() + 1, status, running.at(), event.at(),
                        ms, event.error()));
                running = null;
            } else if (status.ended() && status != JobStatus.CANCELLED) {
                attempts.add(new JobAttempt(event.id(), jobId, attempts.size() + 1, status, null, event.at(), null,
                        event.error()));
            }
        }
        if (running != null) {
            attempts.add(new JobAttempt(running.id(), jobId, attempts.size() + 1, JobStatus.RUNNING, running.at(), null,
                    null, null));
        }
        return attempts;
    }

    /** A {@code timestamp with time zone} column as an instant; null for NULL. */
    static Instant instant(ResultSet rs, int column) throws SQLException {
        var value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
