package dev.pipescope.store.memory;

import static dev.pipescope.domain.PipelineRules.required;

import dev.pipescope.domain.PipelineRun;
import dev.pipescope.domain.Run;
import dev.pipescope.domain.RunFilter;
import dev.pipescope.domain.RunMeasures;
import dev.pipescope.domain.RunQuery;
import dev.pipescope.domain.RunRepository;
import dev.pipescope.domain.RunRules;
import dev.pipescope.domain.RunSource;
import dev.pipescope.domain.RunStats;
import dev.pipescope.domain.RunStatus;
import dev.pipescope.domain.Ulid;
import dev.pipescope.error.DuplicateIdException;
import dev.pipescope.error.InvalidArgumentException;
import dev.pipescope.error.NotFoundException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/** {@link RunRepository} in plain collections; its only run source is its own run history. */
final class MemoryRunRepository implements RunRepository {
    /** A run and the order it was recorded in. */
    record Stored(PipelineRun run, long sequence) {}

    private static final Comparator<Stored> NEWEST_FIRST = Comparator
            .comparing((Stored s) -> s.run().startedAt()).thenComparingLong(Stored::sequence).reversed();

    private final MemoryStore store;
    private final Clock clock;
    private final Random random = new SecureRandom();

    MemoryRunRepository(MemoryStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    private void requirePipeline(String pipelineId) {
        if (!store.pipelines.containsKey(pipelineId)) {
            throw new NotFoundException("no pipeline with id " + pipelineId
                    + " in pipelines of the in-memory database; runs need one");
        }
    }

    private PipelineRun load(String runId) {
        var stored = store.runs.get(runId);
        if (stored == null) {
            throw new NotFoundException("no run with id " + runId + " in pipeline_runs of the in-memory database");
        }
        return stored.run();
    }

    private void insert(PipelineRun run) {
        store.runs.put(run.id(), new Stored(run, store.runsRecorded++));
        store.latestRunStart.merge(run.pipelineId(), run.startedAt(), (a, b) -> a.isAfter(b) ? a : b);
    }

    private void replace(PipelineRun run) {
        var old = store.runs.get(run.id());
        store.runs.put(run.id(), new Stored(run, old.sequence()));
    }

    @Override
    public PipelineRun start(String pipelineId) {
        return start(pipelineId, clock.instant(), RunMeasures.NONE);
    }

    @Override
    public PipelineRun start(String pipelineId, Instant startedAt, RunMeasures initial) {
        required(pipelineId, "pipeline id");
        required(startedAt, "run start time");
        var run = RunRules.started(Ulid.at(startedAt, random), pipelineId, 1, startedAt, initial);
        return store.write(() -> {
            requirePipeline(pipelineId);
            insert(run);
            followLatest(run);
            return run;
        });
    }

    @Override
    public PipelineRun retry(String endedRunId) {
        required(endedRunId, "run id");
        var now = clock.instant();
        return store.write(() -> {
            var previous = load(endedRunId);
            if (previous.status() == RunStatus.RUNNING) {
                throw new InvalidArgumentException("cannot retry run " + endedRunId + ": it is still running");
            }
            var start = now.isBefore(previous.startedAt()) ? previous.startedAt() : now;
            var run = RunRules.started(Ulid.at(start, random), previous.pipelineId(), previous.attempt() + 1, start,
                    RunMeasures.ofInput(previous.measures().bytesTotal()));
            insert(run);
            followLatest(run);
            return run;
        });
    }

    @Override
    public PipelineRun progress(String runId, RunMeasures measures) {
        required(runId, "run id");
        var now = clock.instant();
        return store.write(() -> {
            var run = RunRules.progressed(load(runId), measures, now);
            replace(run);
            followLatest(run);
            return run;
        });
    }

    @Override
    public PipelineRun finish(String runId, RunMeasures measures) {
        return finish(runId, clock.instant(), measures);
    }

    @Override
    public PipelineRun finish(String runId, Instant finishedAt, RunMeasures measures) {
        return end(runId, RunStatus.SUCCEEDED, finishedAt, measures, null);
    }

    @Override
    public PipelineRun fail(String runId, String error) {
        required(runId, "run id");
        required(error, "error of run " + runId);
        var now = clock.instant();
        return store.write(() -> endLoaded(load(runId), RunStatus.FAILED, now, null, error));
    }

    @Override
    public PipelineRun fail(String runId, Instant failedAt, String error, RunMeasures measures) {
        required(error, "error of run " + runId);
        return end(runId, RunStatus.FAILED, failedAt, measures, error);
    }

    @Override
    public PipelineRun cancel(String runId, String reason) {
        required(runId, "run id");
        required(reason, "reason for cancelling run " + runId);
        var now = clock.instant();
        return store.write(() -> endLoaded(load(runId), RunStatus.CANCELLED, now, null, reason));
    }

    private PipelineRun end(String runId, RunStatus status, Instant at, RunMeasures measures, String error) {
        required(runId, "run id");
        required(at, "end time of run " + runId);
        // final measures are required here as in SQLite; only fail/cancel without them keep the last ones
        required(measures, "measures of run " + runId);
        return store.write(() -> endLoaded(load(runId), status, at, measures, error));
    }

    /** @param measures null to keep the run's last measures */
    private PipelineRun endLoaded(PipelineRun current, RunStatus status, Instant at, RunMeasures measures,
                                  String error) {
        var run = RunRules.ended(current, status, at, measures == null ? current.measures() : measures, error);
        replace(run);
        followLatest(run);
        return run;
    }

    private void followLatest(PipelineRun run) {
        var latest = store.latestRunStart.get(run.pipelineId());
        if (latest == null || !latest.isAfter(run.startedAt())) {
            store.metrics.put(run.pipelineId(), run.toProcessingMetrics());
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
        store.write(() -> {
            pipelines.forEach(this::requirePipeline);
            for (var run : runs) {
                if (store.runs.containsKey(run.id())) {
                    throw new DuplicateIdException("run id " + run.id()
                            + " is already in pipeline_runs of the in-memory database; nothing was recorded");
                }
            }
            // each pipeline's newest run of the batch (the later-recorded on equal starts)
            var newest = new java.util.HashMap<String, PipelineRun>();
            for (var run : runs) {
                newest.merge(run.pipelineId(), run, (a, b) -> b.startedAt().isBefore(a.startedAt()) ? a : b);
            }
            runs.forEach(this::insert);
            newest.values().forEach(this::followLatest);
            return null;
        });
    }

    private Stream<Stored> ofPipeline(String pipelineId) {
        return store.runs.values().stream().filter(s -> s.run().pipelineId().equals(pipelineId));
    }

    @Override
    public Optional<PipelineRun> find(String runId) {
        required(runId, "run id");
        return store.read(() -> Optional.ofNullable(store.runs.get(runId)).map(Stored::run));
    }

    @Override
    public List<PipelineRun> list(RunQuery query) {
        required(query, "run query");
        return store.read(() -> store.runs.values().stream().filter(s -> query.matches(s.run())).sorted(NEWEST_FIRST)
                .skip(query.offset()).limit(query.limit()).map(Stored::run).toList());
    }

    @Override
    public long count(RunQuery query) {
        required(query, "run query");
        return store.read(() -> store.runs.values().stream().filter(s -> query.matches(s.run())).count());
    }

    @Override
    public RunStats stats(String pipelineId) {
        required(pipelineId, "pipeline id");
        return store.read(() -> {
            long running = 0, succeeded = 0, failed = 0, cancelled = 0;
            var durations = new ArrayList<Long>();
            double throughputSum = 0;
            Double best = null;
            for (var stored : (Iterable<Stored>) ofPipeline(pipelineId)::iterator) {
                var run = stored.run();
                switch (run.status()) {
                    case RUNNING -> running++;
                    case SUCCEEDED -> {
                        succeeded++;
                        if (run.durationMs() != null) {
                            durations.add(run.durationMs());
                        }
                        double t = run.measures().throughputBytesPerSecond();
                        throughputSum += t;
                        best = best == null ? t : Math.max(best, t);
                    }
                    case FAILED -> failed++;
                    case CANCELLED -> cancelled++;
                    default -> throw new IllegalStateException("run " + run.id() + " has status " + run.status());
                }
            }
            durations.sort(Long::compare);
            int n = durations.size();
            Long p50 = n == 0 ? null : durations.get((int) RunStats.nearestRank(50, n) - 1);
            Long p95 = n == 0 ? null : durations.get((int) RunStats.nearestRank(95, n) - 1);
            return new RunStats(pipelineId, running + succeeded + failed + cancelled, running, succeeded, failed,
                    cancelled, RunStats.successRate(succeeded, failed, cancelled), p50, p95,
                    succeeded == 0 ? null : throughputSum / succeeded, best);
        });
    }

    @Override
    public List<PipelineRun> stale(Duration olderThan) {
        var before = staleBefore(olderThan);
        return store.read(() -> staleRuns(before));
    }

    private List<PipelineRun> staleRuns(Instant before) {
        return store.runs.values().stream()
                .filter(s -> s.run().status() == RunStatus.RUNNING && s.run().updatedAt().isBefore(before))
                .sorted(Comparator.comparing((Stored s) -> s.run().updatedAt()).thenComparingLong(Stored::sequence))
                .map(Stored::run).toList();
    }

    @Override
    public List<PipelineRun> failStale(Duration olderThan, String reason) {
        required(reason, "reason for failing stale runs");
        var before = staleBefore(olderThan);
        var now = clock.instant();
        return store.write(() -> staleRuns(before).stream()
                .map(run -> endLoaded(run, RunStatus.FAILED, now, null, reason)).toList());
    }

    private Instant staleBefore(Duration olderThan) {
        required(olderThan, "stale age");
        if (olderThan.isNegative()) {
            throw new InvalidArgumentException("stale age must be 0 or more, was " + olderThan);
        }
        return clock.instant().minus(olderThan);
    }

    @Override
    public Set<RunSource> sources() {
        return Set.of(RunSource.PIPESCOPE);
    }

    @Override
    public List<Run> unified(RunFilter filter) {
        required(filter, "run filter");
        if (!filter.wants(RunSource.PIPESCOPE)) {
            return List.of();
        }
        return store.read(() -> store.runs.values().stream().sorted(NEWEST_FIRST)
                .map(s -> Run.of(s.run(), store.pipelines.get(s.run().pipelineId()).name()))
                .filter(filter::matches).limit(filter.limit()).toList());
    }
}
