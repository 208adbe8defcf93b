package dev.pipescope.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every run of every pipeline ({@code pipeline_runs}), and one way to ask "what ran?" over every run
 * source a file holds ({@link #unified}).
 *
 * <p>Semantics every implementation keeps (the contract tests check them):
 * <ul>
 *   <li><b>Life of a run.</b> {@link #start} creates it {@code running}; {@link #progress} updates its
 *       measures; {@link #finish}, {@link #fail} and {@link #cancel} end it. Only a running run can be
 *       updated or ended; anything else is refused with a typed error and changes nothing.</li>
 *   <li><b>Latest run upstream.</b> Every write to a run that is its pipeline's latest-started run
 *       (start, progress, end, {@link #recordAll}) also writes upstream's {@code processing_metrics} row of
 *       the pipeline in the same transaction, so the adaptive pipeline tool keeps seeing its latest run as
 *       before: unfinished with a NULL end time, then finished. Writes to older runs leave it alone.</li>
 *   <li><b>Heartbeat.</b> {@link PipelineRun#updatedAt()} is the start time, then the time of each
 *       progress write; a running run not heard of for a while was left by a process that died
 *       ({@link #stale}, {@link #failStale}).</li>
 *   <li><b>Throughput.</b> When a run ends with a throughput of 0 but bytes processed and a positive
 *       duration, the throughput is computed as bytes processed per second of duration.</li>
 *   <li><b>Deleting a pipeline</b> deletes its runs (as it deletes its {@code processing_metrics} row);
 *       archiving it keeps them.</li>
 *   <li><b>Order.</b> {@link #list} returns the newest start first; runs with the same start time come
 *       latest-recorded first.</li>
 * </ul>
 *
 * <pre>{@code
 * var run = db.runs().start(pipeline.id());
 * db.runs().progress(run.id(), run.measures().withProgress(512 << 20, 8, 16));
 * db.runs().finish(run.id(), measures);
 * db.runs().stats(pipeline.id()).p95DurationMs();
 * db.runs().unified(RunFilter.capped().status(RunStatus.FAILED));   // pipeline runs, Hyperpage jobs, ETL, dagger
 * }</pre>
 */
public interface RunRepository {

    /**
     * Starts a run of the pipeline now.
     *
     * @throws dev.pipescope.error.NotFoundException when no pipeline has that id
     */
    PipelineRun start(String pipelineId);

    /** Starts a run at a given time with initial measures (e.g. {@link RunMeasures#ofInput}). */
    PipelineRun start(String pipelineId, Instant startedAt, RunMeasures initial);

    /**
     * Starts a new run of the same pipeline as an ended run, with the attempt number one higher.
     *
     * @throws dev.pipescope.error.InvalidArgumentException when that run is still running
     */
    PipelineRun retry(String endedRunId);

    /** Replaces a running run's measures and moves its heartbeat to now. */
    PipelineRun progress(String runId, RunMeasures measures);

    /** Ends a running run as succeeded, now. */
    PipelineRun finish(String runId, RunMeasures measures);

    /** Ends a running run as succeeded at {@code finishedAt} (not before its start). */
    PipelineRun finish(String runId, Instant finishedAt, RunMeasures measures);

    /** Ends a running run as failed, now, keeping its last measures. */
    PipelineRun fail(String runId, String error);

    /** Ends a running run as failed at {@code failedAt} with final measures. */
    PipelineRun fail(String runId, Instant failedAt, String error, RunMeasures measures);

    /** Ends a running run as cancelled, now. */
    PipelineRun cancel(String runId, String reason);

    /**
     * Stores runs recorded elsewhere (imports, demo data) in one transaction: all or none. Each
     * pipeline's {@code processing_metrics} row follows its latest run when that run is in the batch.
     *
     * @throws dev.pipescope.error.NotFoundException when a run's pipeline does not exist
     * @throws dev.pipescope.error.DuplicateIdException when a run id is taken or repeated
     */
    void recordAll(List<PipelineRun> runs);

    /** The run with this id. */
    Optional<PipelineRun> find(String runId);

    /** One page of runs matching the query, newest first. */
    List<PipelineRun> list(RunQuery query);

    /** How many runs match the query's filters (its page is ignored). */
    long count(RunQuery query);

    /** Count, success rate, duration percentiles and throughput of one pipeline's runs. */
    RunStats stats(String pipelineId);

    /** Running runs whose heartbeat is older than {@code olderThan} ago, oldest first. */
    List<PipelineRun> stale(Duration olderThan);

    /** Marks every {@link #stale} run failed with {@code reason}. @return the runs as now stored */
    List<PipelineRun> failStale(Duration olderThan, String reason);

    /** The run sources this database holds, which {@link #unified} reads. */
    Set<RunSource> sources();

    /** Runs from every source the filter asks for and the database holds, newest first. */
    List<Run> unified(RunFilter filter);

    /**
     * The same runs as {@link #unified}, column by column: for hundreds of thousands of runs, where one
     * object per run costs more than reading them.
     */
    default RunColumns unifiedColumns(RunFilter filter) {
        return RunColumns.of(unified(filter));
    }

    /**
     * The same runs as {@link #unifiedColumns(RunFilter)}, handed to {@code batches} in the calling thread a
     * batch at a time, newest first, while they are read: a consumer can build its table meanwhile.
     */
    default void unifiedColumns(RunFilter filter, java.util.function.Consumer<RunColumns> batches) {
        batches.accept(unifiedColumns(filter));
    }
}
