package dev.pipescope.domain;

import java.util.List;
import java.util.Optional;

/**
 * Hyperpage's job queue ({@code jobs}) and its attempt log ({@code job_history}), which Hyperpage itself
 * never writes: here every attempt gets a row.
 *
 * <p>Transitions (anything else is refused with a typed error and changes nothing):
 * <ul>
 *   <li>{@code pending → running} ({@link #start}): sets {@code started_at}, appends a {@code job_history}
 *       row for the attempt, numbered {@code retry_count + recovery_attempts + 1} (or one past the log's
 *       last attempt, if that is higher).</li>
 *   <li>{@code running → completed | failed | timeout | cancelled} ({@link #complete}, {@link #fail},
 *       {@link #timeOut}, {@link #cancel}): sets {@code completed_at} and closes the attempt's history row
 *       with its status, end, duration and error. A job Hyperpage started (so with no history row) gets
 *       its attempt's row written whole, from its {@code started_at}.</li>
 *   <li>{@code pending → cancelled} ({@link #cancel}).</li>
 *   <li>{@code failed | timeout | cancelled → pending} ({@link #retry}): {@code retry_count + 1}.</li>
 * </ul>
 * Times are epoch milliseconds in the tables, as Hyperpage keeps them.
 */
public interface JobRepository {

    /**
     * Queues a new pending job with a Hyperpage-style id ({@code <tool>-<epoch ms>-<6 chars>}).
     *
     * @throws dev.pipescope.error.InvalidArgumentException for a blank type or name, a priority outside
     *         1-4, or a payload that is not JSON
     */
    Job submit(JobSpec spec);

    Optional<Job> find(String id);

    /** Jobs with any of the statuses (all when none given), newest created first, at most {@code limit}. */
    List<Job> list(int limit, JobStatus... statuses);

    /** The number of jobs per status, every status present (0 when none). */
    java.util.Map<JobStatus, Long> countByStatus();

    Job start(String id);

    /** @param resultJson JSON text of the result */
    Job complete(String id, String resultJson);

    Job fail(String id, String error);

    Job timeOut(String id, String error);

    Job cancel(String id, String reason);

    Job retry(String id);

    /** The job's attempts, first first. */
    List<JobAttempt> history(String jobId);

    /**
     * Finds jobs left {@code running} by a process that died: each has its open attempt closed as failed
     * (error "interrupted"), its {@code recovery_attempts} bumped, and goes back to {@code pending}; a job
     * already recovered {@code maxRecoveryAttempts} times is failed instead.
     *
     * @return the jobs as now stored
     */
    List<Job> recoverInterrupted(int maxRecoveryAttempts);

    /** {@link #recoverInterrupted(int)} with Hyperpage's limit of 3 recoveries. */
    default List<Job> recoverInterrupted() {
        return recoverInterrupted(3);
    }
}
