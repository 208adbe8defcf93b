package dev.pipescope.source.runs;

import dev.pipescope.source.pipeline.PipelineSource;
import dev.pipescope.engine.EngineConnections;

import static dev.pipescope.domain.Arguments.required;

import dev.pipescope.domain.PipelineRun;
import dev.pipescope.domain.Run;
import dev.pipescope.domain.RunColumns;
import dev.pipescope.domain.RunFilter;
import dev.pipescope.domain.RunMeasures;
import dev.pipescope.domain.RunQuery;
import dev.pipescope.domain.RunRepository;
import dev.pipescope.domain.RunRules;
import dev.pipescope.domain.RunSource;
import dev.pipescope.domain.RunStats;
import dev.pipescope.domain.RunStatus;
import dev.pipescope.domain.Timestamps;
import dev.pipescope.domain.Ulid;
import dev.pipescope.error.CorruptDataException;
import dev.pipescope.error.DuplicateIdException;
import dev.pipescope.error.InvalidArgumentException;
import dev.pipescope.error.NotFoundException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;

/** {@link RunRepository} over Pipescope's {@code pipeline_runs}; the unified read over every source the file holds. */
final class SqlRunRepository implements RunRepository {
    /** Rows per JDBC batch in {@link #recordAll}: big enough to amortise the round trip, small enough for memory. */
    private static final int BATCH = 2_000;

    private final EngineConnections db;
    private final Clock clock;
    private final UnifiedRuns unified;
    /** Throws when the file has no pipeline_runs (another tool's file): checked by every method that reads it. */
    private final Runnable requireHistory;
    /** Adds pipeline_runs to a writable file that can hold it, or throws: checked by every method that writes it. */
    private final Runnable ensureHistory;
    /** The statements in this engine's form. */
    private final RunSql.EngineSql sql;

    SqlRunRepository(EngineConnections connections, Clock clock, UnifiedRuns unified,
                        Runnable requireHistory, Runnable ensureHistory) {
        this.db = connections;
        this.sql = RunSql.EngineSql.of(connections.dialect());
        this.requireHistory = requireHistory;
        this.ensureHistory = ensureHistory;
        this.clock = clock;
        this.unified = unified;
    }

    private <T> T write(String what, java.util.function.Function<Handle, T> work) {
        ensureHistory.run();
        return db.write(what, work);
    }

    private <T> T read(String what, java.util.function.Function<Handle, T> work) {
        requireHistory.run();
        return db.read(what, work);
    }

    @Override
    public PipelineRun start(String pipelineId) {
        return start(pipelineId, clock.instant(), RunMeasures.NONE);
    }

    @Override
    public PipelineRun start(String pipelineId, Instant startedAt, RunMeasures initial) {
        required(pipelineId, "pipeline id");
        required(startedAt, "run start time");
        var run = RunRules.started(Ulid.at(startedAt), pipelineId, 1, startedAt, initial);
        return write("start a run of pipeline " + pipelineId + " in pipeline_runs", h -> {
            requirePipeline(h, pipelineId);
            RunRows.insert(h, run);
            followLatest(h, run);
            return run;
        });
    }

    @Override
    public PipelineRun retry(String endedRunId) {
        required(endedRunId, "run id");
        var now = clock.instant();
        return write("retry run " + endedRunId + " in pipeline_runs", h -> {
            var previous = load(h, endedRunId);
            if (previous.status() == RunStatus.RUNNING) {
                throw new InvalidArgumentException("cannot retry run " + endedRunId + ": it is still running");
            }
            var start = now.isBefore(previous.startedAt()) ? previous.startedAt() : now;
            var run = RunRules.started(Ulid.at(start), previous.pipelineId(), previous.attempt() + 1, start,
                    RunMeasures.ofInput(previous.measures().bytesTotal()));
            RunRows.insert(h, run);
            followLatest(h, run);
            return run;
        });
    }

    @Override
    public PipelineRun progress(String runId, RunMeasures measures) {
        required(runId, "run id");
        var now = clock.instant();
        return write("record progress of run " + runId + " in pipeline_runs", h -> {
            return stored(h, RunRules.progressed(load(h, runId), measures, now));
        });
    }

    @Override
    public PipelineRun finish(String runId, RunMeasures measures) {
        return finish(runId, clock.instant(), measures);
    }

    @Override
    public PipelineRun finish(String runId, Instant finishedAt, RunMeasures measures) {
        return end(runId, RunStatus.SUCCEEDED, finishedAt, measures, null, "finish");
    }

    @Override
    public PipelineRun fail(String runId, String error) {
        required(runId, "run id");
        required(error, "error of run " + runId);
        return endKeepingMeasures(runId, RunStatus.FAILED, error, "fail");
    }

    @Override
    public PipelineRun fail(String runId, Instant failedAt, String error, RunMeasures measures) {
        required(error, "error of run " + runId);
        return end(runId, RunStatus.FAILED, failedAt, measures, error, "fail");
    }

    @Override
    public PipelineRun cancel(String runId, String reason) {
        required(runId, "run id");
        required(reason, "reason for cancelling run " + runId);
        return endKeepingMeasures(runId, RunStatus.CANCELLED, reason, "cancel");
    }

    /** Ends a run now with the measures it last reported. */
    private PipelineRun endKeepingMeasures(String runId, RunStatus status, String reason, String action) {
        var now = clock.instant();
        return write(action + " run " + runId + " in pipeline_runs", h -> {
            var current = load(h, runId);
            return stored(h, RunRules.ended(current, status, now, current.measures(), reason));
        });
    }

    private PipelineRun end(String runId, RunStatus status, Instant at, RunMeasures measures, String error,
                            String action) {
        required(runId, "run id");
        required(at, "end time of run " + runId);
        return write(action + " run " + runId + " in pipeline_runs",
                h -> stored(h, RunRules.ended(load(h, runId), status, at, measures, error)));
    }

    /** Writes a changed run and, when it is its pipeline's latest, upstream's processing_metrics row. */
    private static PipelineRun stored(Handle h, PipelineRun run) {
        RunRows.update(h, run);
        followLatest(h, run);
        return run;
    }

    /** Upstream's processing_metrics keeps the latest run of each pipeline, running or not; older runs leave it. */
    private static void followLatest(Handle h, PipelineRun run) {
        boolean later = h.createQuery(RunSql.STARTED_LATER_EXISTS).bind("pipelineId", run.pipelineId())
                .bind("startedAt", Timestamps.format(run.startedAt())).mapTo(Boolean.class).one();
        if (!later) {
            PipelineSource.upsertMetrics(h, run.toProcessingMetrics());
        }
    }

    @Override
    public void recordAll(List<PipelineRun> runs) {
        required(runs, "runs");
        var ids = new HashSet<String>();
        var pipelines = new LinkedHashSet<String>();
        for (var run : runs) {
            RunRules.validateRecorded(run);
            if (!ids.add(run.id())) {
                throw new DuplicateIdException("run id " + run.id() + " appears twice in the batch");
            }
            pipelines.add(run.pipelineId());
        }
        if (runs.isEmpty()) {
            return;
        }
        try {
            insertAll(runs, ids, pipelines);
        } catch (DuplicateIdException e) {
            // the transaction has rolled back, so a stored id was stored before: name the first clash
            var taken = read("name the clashing run id", h -> h.createQuery(sql.firstTakenId())
                    .bind("ids", RunRows.jsonArray(runs.stream().map(PipelineRun::id).toList())).mapTo(String.class).findOne());
            if (taken.isEmpty()) {
                throw e;
            }
            throw new DuplicateIdException("run id " + taken.get() + " is already in pipeline_runs of " + db.location()
                    + "; nothing was recorded", e);
        }
    }

    private void insertAll(List<PipelineRun> runs, Set<String> ids, Set<String> pipelines) {
        write("record " + runs.size() + " runs in pipeline_runs", h -> {
            for (var pipelineId : pipelines) {
                requirePipeline(h, pipelineId);
            }
            try (var ps = h.getConnection().prepareStatement(RunSql.INSERT_RUN)) {
                int pending = 0;
                for (int i = 0; i < runs.size(); i++) {
                    RunRows.bindInsert(ps, runs.get(i));
                    ps.addBatch();
                    if (++pending == BATCH || i == runs.size() - 1) {
                        ps.executeBatch();
                        pending = 0;
                    }
                }
            } catch (SQLException e) {
                if (db.isConstraint(e)) {
                    throw new DuplicateIdException("a run id is already in pipeline_runs of " + db.location()
                            + "; nothing was recorded", e);
                }
                throw db.translate(e, "record runs in pipeline_runs");
            }
            for (var pipelineId : pipelines) {
                var latest = h.createQuery(sql.latestOfPipeline()).bind("pipelineId", pipelineId)
                        .map((rs, ctx) -> RunRows.map(rs)).one();
                if (ids.contains(latest.id())) {
                    PipelineSource.upsertMetrics(h, latest.toProcessingMetrics());
                }
            }
            return null;
        });
    }

    @Override
    public Optional<PipelineRun> find(String runId) {
        required(runId, "run id");
        return read("find run " + runId, h -> h.createQuery(RunSql.FIND).bind("id", runId)
                .map((rs, ctx) -> RunRows.map(rs)).findOne());
    }

    @Override
    public List<PipelineRun> list(RunQuery query) {
        required(query, "run query");
        return read("list runs in pipeline_runs", h -> {
            var q = h.createQuery(query.pipelineId() == null ? sql.listAll() : sql.listOfPipeline());
            bindFilters(q, query);
            return q.bind("limit", query.limit()).bind("offset", query.offset()).map((rs, ctx) -> RunRows.map(rs)).list();
        });
    }

    @Override
    public long count(RunQuery query) {
        required(query, "run query");
        return read("count runs in pipeline_runs", h -> {
            var q = h.createQuery(query.pipelineId() == null ? sql.countAll() : sql.countOfPipeline());
            bindFilters(q, query);
            return q.mapTo(Long.class).one();
        });
    }

    private static void bindFilters(SqlStatement<?> q, RunQuery query) {
        if (query.pipelineId() != null) {
            q.bind("pipelineId", query.pipelineId());
        }
        q.bind("from", query.from() == null ? RunRows.NO_LOWER_BOUND : Timestamps.format(query.from()))
                .bind("to", query.to() == null ? RunRows.NO_UPPER_BOUND : Timestamps.format(query.to()))
                .bind("anyStatus", query.statuses().isEmpty())
                .bind("statuses", RunRows.statusesJson(query.statuses()));
    }

    @Override
    public RunStats stats(String pipelineId) {
        required(pipelineId, "pipeline id");
        return read("compute run stats of pipeline " + pipelineId, h -> {
            long running = 0, succeeded = 0, failed = 0, cancelled = 0, timed = 0;
            Double mean = null, best = null;
            var rows = h.createQuery(RunSql.STATS_BY_STATUS).bind("pipelineId", pipelineId)
                    .map((rs, ctx) -> new Object[] {rs.getString(1), rs.getLong(2), rs.getLong(3),
                            rs.getObject(4) == null ? null : rs.getDouble(4),
                            rs.getObject(5) == null ? null : rs.getDouble(5)})
                    .list();
            for (var row : rows) {
                long n = (Long) row[1];
                switch (RunRows.parseStatus((String) row[0], pipelineId)) {
                    case RUNNING -> running = n;
                    case SUCCEEDED -> {
                        succeeded = n;
                        timed = (Long) row[2];
                        mean = (Double) row[3];
                        best = (Double) row[4];
                    }
                    case FAILED -> failed = n;
                    case CANCELLED -> cancelled = n;
                    default -> throw new CorruptDataException("pipeline_runs of " + db.location() + " has status "
                            + row[0] + " for pipeline " + pipelineId);
                }
            }
            Long p50 = timed == 0 ? null : durationAt(h, pipelineId, RunStats.nearestRank(50, timed) - 1, timed);
            Long p95 = timed == 0 ? null : durationAt(h, pipelineId, RunStats.nearestRank(95, timed) - 1, timed);
            return new RunStats(pipelineId, running + succeeded + failed + cancelled, running, succeeded, failed,
                    cancelled, RunStats.successRate(succeeded, failed, cancelled), p50, p95, mean, best);
        });
    }

    /** The duration at a 0-based rank among {@code n}, walking the index from whichever end is nearer. */
    private static Long durationAt(Handle h, String pipelineId, long rank, long n) {
        boolean fromTop = rank > n / 2;
        return h.createQuery(fromTop ? RunSql.SUCCEEDED_DURATION_FROM_TOP : RunSql.SUCCEEDED_DURATION_AT)
                .bind("pipelineId", pipelineId).bind("rank", fromTop ? n - 1 - rank : rank)
                .mapTo(Long.class).one();
    }

    @Override
    public List<PipelineRun> stale(Duration olderThan) {
        var before = staleBefore(olderThan);
        return read("find stale runs in pipeline_runs", h -> staleRuns(h, before));
    }

    @Override
    public List<PipelineRun> failStale(Duration olderThan, String reason) {
        required(reason, "reason for failing stale runs");
        var before = staleBefore(olderThan);
        var now = clock.instant();
        return write("fail stale runs in pipeline_runs", h -> {
            var failed = new ArrayList<PipelineRun>();
            for (var run : staleRuns(h, before)) {
                var ended = RunRules.ended(run, RunStatus.FAILED, now, run.measures(), reason);
                RunRows.update(h, ended);
                followLatest(h, ended);
                failed.add(ended);
            }
            return failed;
        });
    }

    private Instant staleBefore(Duration olderThan) {
        required(olderThan, "stale age");
        if (olderThan.isNegative()) {
            throw new InvalidArgumentException("stale age must be 0 or more, was " + olderThan);
        }
        return clock.instant().minus(olderThan);
    }

    private List<PipelineRun> staleRuns(Handle h, Instant before) {
        return h.createQuery(sql.stale()).bind("before", Timestamps.format(before)).map((rs, ctx) -> RunRows.map(rs)).list();
    }

    @Override
    public Set<RunSource> sources() {
        return unified.sources();
    }

    @Override
    public List<Run> unified(RunFilter filter) {
        required(filter, "run filter");
        return unified.read(filter);
    }

    @Override
    public RunColumns unifiedColumns(RunFilter filter) {
        required(filter, "run filter");
        return unified.columns(filter);
    }

    @Override
    public void unifiedColumns(RunFilter filter, java.util.function.Consumer<RunColumns> batches) {
        required(filter, "run filter");
        required(batches, "batch consumer");
        unified.columns(filter, batches);
    }

    private void requirePipeline(Handle h, String pipelineId) {
        if (!PipelineSource.pipelineExists(h, pipelineId)) {
            throw new NotFoundException("no pipeline with id " + pipelineId + " in pipelines of " + db.location()
                    + "; runs need one");
        }
    }

    private PipelineRun load(Handle h, String runId) {
        return h.createQuery(RunSql.FIND).bind("id", runId).map((rs, ctx) -> RunRows.map(rs)).findOne()
                .orElseThrow(() -> new NotFoundException("no run with id " + runId + " in pipeline_runs of " + db.location()));
    }

}
