package dev.pipescope.source.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.PipescopeDatabase;
import dev.pipescope.domain.Pipeline;
import dev.pipescope.domain.PipelineRun;
import dev.pipescope.domain.PipelineStage;
import dev.pipescope.domain.RunColumns;
import dev.pipescope.domain.RunFilter;
import dev.pipescope.domain.RunMeasures;
import dev.pipescope.domain.RunQuery;
import dev.pipescope.domain.RunSource;
import dev.pipescope.domain.RunStatus;
import dev.pipescope.domain.StageType;
import dev.pipescope.error.DuplicateIdException;
import dev.pipescope.error.IllegalStateTransitionException;
import dev.pipescope.error.InvalidArgumentException;
import dev.pipescope.error.NotFoundException;
import dev.pipescope.testing.RunColumnsAssert;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link dev.pipescope.domain.RunRepository} keeps; run against SQLite and memory. */
abstract class RunRepositoryContract {
    static final Instant T0 = Instant.parse("2025-10-01T08:00:00Z");

    PipescopeDatabase db;
    Pipeline pipeline;
    Pipeline other;

    abstract PipescopeDatabase open();

    @BeforeEach
    void setUp() {
        db = open();
        pipeline = Pipeline.builder("compress-logs").createdAt(T0.minus(Duration.ofDays(30)))
                .stage(PipelineStage.builder("compress", StageType.COMPRESSION, "zstd").parameter("compression_level", "3"))
                .build();
        other = Pipeline.builder("encrypt-backups").createdAt(T0.minus(Duration.ofDays(30))).build();
        db.pipelines().saveAll(List.of(pipeline, other));
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    static RunMeasures measures(long bytes, double throughput) {
        return new RunMeasures(bytes, bytes, 4, 4, throughput, 2.5, 0, 1, bytes, bytes / 2, "in-sum", "out-sum");
    }

    @Test
    void aStartedRunIsRunningWithItsStartAsHeartbeat() {
        var run = db.runs().start(pipeline.id(), T0, RunMeasures.ofInput(1000));
        assertEquals(RunStatus.RUNNING, run.status());
        assertEquals(1, run.attempt());
        assertEquals(T0, run.updatedAt());
        assertNull(run.finishedAt());
        assertEquals(run, db.runs().find(run.id()).orElseThrow());
        assertEquals(1000, db.runs().find(run.id()).orElseThrow().measures().bytesTotal());
    }

    @Test
    void startingARunOfAnUnknownPipelineIsRefusedAndStoresNothing() {
        var e = assertThrows(NotFoundException.class, () -> db.runs().start("01NOPE0000000000000000000Z"));
        assertTrue(e.getMessage().contains("01NOPE0000000000000000000Z"), e.getMessage());
        assertEquals(0, db.runs().count(RunQuery.all()));
    }

    @Test
    void finishingComputesDurationAndThroughputAndWritesProcessingMetrics() {
        var run = db.runs().start(pipeline.id(), T0, RunMeasures.ofInput(8_000));
        var m = new RunMeasures(8_000, 8_000, 2, 2, 0.0, 3.0, 0, 0, 8_000, 2_000, "a", "b");
        var done = db.runs().finish(run.id(), T0.plusSeconds(4), m);
        assertEquals(RunStatus.SUCCEEDED, done.status());
        assertEquals(4_000L, done.durationMs());
        assertEquals(2_000.0, done.measures().throughputBytesPerSecond(), 1e-9);
        assertEquals(done, db.runs().find(run.id()).orElseThrow());
        var metrics = db.metrics().find(pipeline.id()).orElseThrow();
        assertEquals(8_000, metrics.bytesProcessed());
        assertEquals(T0, metrics.startTime());
        assertEquals(T0.plusSeconds(4), metrics.endTime());
        assertEquals(4_000L, metrics.processingDurationMs());
        assertEquals(2_000.0, metrics.throughputBytesPerSecond(), 1e-9);
        assertEquals("b", metrics.outputFileChecksum());
    }

    @Test
    void aStartedRunIsTheLatestRunUpstreamWithoutAnEndTime() {
        var run = db.runs().start(pipeline.id(), T0, RunMeasures.ofInput(500));
        var metrics = db.metrics().find(pipeline.id()).orElseThrow();
        assertEquals(T0, metrics.startTime());
        assertNull(metrics.endTime());
        assertEquals(500, metrics.bytesTotal());
        db.runs().progress(run.id(), RunMeasures.ofInput(500).withProgress(250, 1, 2));
        assertEquals(0.5, db.metrics().find(pipeline.id()).orElseThrow().progress().orElseThrow(), 1e-12);
    }

    @Test
    void anOlderRunEndingAfterANewerOneStartedLeavesProcessingMetricsToTheNewer() {
        var older = db.runs().start(pipeline.id(), T0, RunMeasures.NONE);
        var newer = db.runs().start(pipeline.id(), T0.plusSeconds(60), RunMeasures.NONE);
        db.runs().finish(newer.id(), T0.plusSeconds(70), measures(10, 1.0));
        db.runs().finish(older.id(), T0.plusSeconds(100), measures(99, 1.0));
        assertEquals(T0.plusSeconds(60), db.metrics().find(pipeline.id()).orElseThrow().startTime());
        assertEquals(10, db.metrics().find(pipeline.id()).orElseThrow().bytesProcessed());
    }

    @Test
    void progressReplacesMeasuresOfARunningRunOnly() {
        var run = db.runs().start(pipeline.id(), T0, RunMeasures.ofInput(100));
        var progressed = db.runs().progress(run.id(), RunMeasures.ofInput(100).withProgress(50, 1, 2));
        assertEquals(50, db.runs().find(run.id()).orElseThrow().measures().bytesProcessed());
        assertTrue(progressed.updatedAt().isAfter(T0));
        db.runs().finish(run.id(), T0.plusSeconds(1), measures(100, 100));
        var finished = db.runs().find(run.id()).orElseThrow();
        var e = assertThrows(IllegalStateTransitionException.class,
                () -> db.runs().progress(run.id(), RunMeasures.ofInput(100).withProgress(1, 1, 1)));
        assertTrue(e.getMessage().contains("succeeded"), e.getMessage());
        assertEquals(finished, db.runs().find(run.id()).orElseThrow());
        assertThrows(IllegalStateTransitionException.class, () -> db.runs().finish(run.id(), measures(1, 1)));
        assertThrows(NotFoundException.class, () -> db.runs().progress("missing", RunMeasures.NONE));
    }

    @Test
    void badEndsAreRefusedAndChangeNothing() {
        var run = db.runs().start(pipeline.id(), T0, RunMeasures.NONE);
        var metrics = db.metrics().find(pipeline.id()).orElseThrow();
        assertThrows(InvalidArgumentException.class, () -> db.runs().finish(run.id(), T0.minusSeconds(1), measures(1, 1)));
        var negative = new RunMeasures(-1, 0, 0, 0, 0, null, 0, 0, 0, 0, null, null);
        assertThrows(InvalidArgumentException.class, () -> db.runs().finish(run.id(), T0.plusSeconds(1), negative));
        var infinite = new RunMeasures(1, 1, 0, 0, Double.POSITIVE_INFINITY, null, 0, 0, 0, 0, null, null);
        assertThrows(InvalidArgumentException.class, () -> db.runs().finish(run.id(), T0.plusSeconds(1), infinite));
        assertThrows(InvalidArgumentException.class, () -> db.runs().fail(run.id(), null));
        assertEquals(run, db.runs().find(run.id()).orElseThrow());
        assertEquals(metrics, db.metrics().find(pipeline.id()).orElseThrow());
    }

    @Test
    void failKeepsTheLastMeasuresAndTheError() {
        var run = db.runs().start(pipeline.id(), T0, RunMeasures.ofInput(100));
        db.runs().progress(run.id(), RunMeasures.ofInput(100).withProgress(30, 1, 4));
        var failed = db.runs().fail(run.id(), "disk full");
        assertEquals(RunStatus.FAILED, failed.status());
        assertEquals("disk full", db.runs().find(run.id()).orElseThrow().errorMessage());
        assertEquals(30, db.runs().find(run.id()).orElseThrow().measures().bytesProcessed());
        assertEquals(30, db.metrics().find(pipeline.id()).orElseThrow().bytesProcessed());
    }

    @Test
    void cancelAndRetry() {
        var run = db.runs().start(pipeline.id(), T0, RunMeasures.ofInput(64));
        assertThrows(InvalidArgumentException.class, () -> db.runs().retry(run.id()));
        var cancelled = db.runs().cancel(run.id(), "operator stop");
        assertEquals(RunStatus.CANCELLED, cancelled.status());
        assertEquals("operator stop", cancelled.errorMessage());
        var retry = db.runs().retry(run.id());
        assertEquals(2, retry.attempt());
        assertEquals(RunStatus.RUNNING, retry.status());
        assertEquals(pipeline.id(), retry.pipelineId());
        assertEquals(64, retry.measures().bytesTotal());
        assertEquals(3, db.runs().retry(db.runs().fail(retry.id(), "again").id()).attempt());
    }

    /** Runs at T0 + i minutes, alternating pipelines; every third failed. */
    List<PipelineRun> recordSample(int count) {
        var runs = new ArrayList<PipelineRun>();
        for (int i = 0; i < count; i++) {
            var start = T0.plus(i, ChronoUnit.MINUTES);
            var owner = i % 2 == 0 ? pipeline : other;
            var status = i % 3 == 0 ? RunStatus.FAILED : RunStatus.SUCCEEDED;
            runs.add(new PipelineRun(String.format("run-%04d", i), owner.id(), status, 1, start, start.plusSeconds(10),
                    start.plusSeconds(10), 10_000L, measures(i, i), status == RunStatus.FAILED ? "boom " + i : null));
        }
        db.runs().recordAll(runs);
        return runs;
    }

    @Test
    void listFiltersByPipelineStatusAndTimeNewestFirst() {
        var runs = recordSample(30);
        var ofPipeline = db.runs().list(RunQuery.all().pipeline(pipeline.id()));
        assertEquals(15, ofPipeline.size());
        assertEquals("run-0028", ofPipeline.get(0).id());
        assertEquals("run-0000", ofPipeline.get(14).id());
        assertEquals(runs.get(28), ofPipeline.get(0));
        var failed = db.runs().list(RunQuery.all().status(RunStatus.FAILED));
        assertEquals(10, failed.size());
        assertTrue(failed.stream().allMatch(r -> r.status() == RunStatus.FAILED));
        var window = db.runs().list(RunQuery.all().between(T0.plus(10, ChronoUnit.MINUTES), T0.plus(20, ChronoUnit.MINUTES)));
        assertEquals(10, window.size());
        assertEquals("run-0019", window.get(0).id());
        assertEquals("run-0010", window.get(9).id());
        assertEquals(10, db.runs().count(RunQuery.all().between(T0.plus(10, ChronoUnit.MINUTES), T0.plus(20, ChronoUnit.MINUTES))));
        assertEquals(5, db.runs().count(RunQuery.all().pipeline(other.id()).status(RunStatus.FAILED)));
        assertEquals(30, db.runs().count(RunQuery.all().page(0, 1)));
    }

    @Test
    void pagesCoverEveryRunOnce() {
        recordSample(25);
        var seen = new ArrayList<String>();
        for (int offset = 0; offset < 30; offset += 7) {
            db.runs().list(RunQuery.all().page(offset, 7)).forEach(r -> seen.add(r.id()));
        }
        assertEquals(25, seen.size());
        assertEquals(25, new HashSet<>(seen).size());
        assertEquals("run-0024", seen.get(0));
        assertThrows(InvalidArgumentException.class, () -> RunQuery.all().page(-1, 10));
        assertThrows(InvalidArgumentException.class, () -> RunQuery.all().page(0, 0));
        assertThrows(InvalidArgumentException.class, () -> RunQuery.all().between(T0, T0));
    }

    @Test
    void runsStartingAtTheSameTimeListLatestRecordedFirst() {
        var a = db.runs().start(pipeline.id(), T0, RunMeasures.NONE);
        var b = db.runs().start(pipeline.id(), T0, RunMeasures.NONE);
        assertEquals(List.of(b.id(), a.id()), db.runs().list(RunQuery.all()).stream().map(PipelineRun::id).toList());
    }

    @Test
    void statsComputePercentilesSuccessRateAndThroughput() {
        var runs = new ArrayList<PipelineRun>();
        // succeeded durations 1..100 s, throughput 10 * i; plus 25 failures and 5 cancellations
        for (int i = 1; i <= 100; i++) {
            var start = T0.plus(i, ChronoUnit.MINUTES);
            runs.add(new PipelineRun("ok-" + i, pipeline.id(), RunStatus.SUCCEEDED, 1, start, start.plusSeconds(i),
                    start.plusSeconds(i), i * 1000L, measures(i, 10.0 * i), null));
        }
        for (int i = 0; i < 30; i++) {
            var start = T0.plus(200 + i, ChronoUnit.MINUTES);
            var status = i < 25 ? RunStatus.FAILED : RunStatus.CANCELLED;
            runs.add(new PipelineRun("bad-" + i, pipeline.id(), status, 1, start, start.plusSeconds(500),
                    start.plusSeconds(500), 500_000L, measures(1, 99_999), "x"));
        }
        db.runs().recordAll(runs);
        db.runs().start(pipeline.id(), T0.plus(300, ChronoUnit.MINUTES), RunMeasures.NONE);
        var stats = db.runs().stats(pipeline.id());
        assertEquals(131, stats.count());
        assertEquals(1, stats.running());
        assertEquals(100, stats.succeeded());
        assertEquals(25, stats.failed());
        assertEquals(5, stats.cancelled());
        assertEquals(100.0 / 130.0, stats.successRate(), 1e-12);
        assertEquals(50_000L, stats.p50DurationMs());
        assertEquals(95_000L, stats.p95DurationMs());
        assertEquals(505.0, stats.meanThroughput(), 1e-9);
        assertEquals(1000.0, stats.bestThroughput(), 1e-9);
    }

    @Test
    void percentilesOfAFewRunsUseTheNearestRank() {
        var runs = new ArrayList<PipelineRun>();
        long[] seconds = {5, 1, 3};
        for (int i = 0; i < seconds.length; i++) {
            var start = T0.plus(i, ChronoUnit.HOURS);
            runs.add(new PipelineRun("few-" + i, other.id(), RunStatus.SUCCEEDED, 1, start,
                    start.plusSeconds(seconds[i]), start.plusSeconds(seconds[i]), seconds[i] * 1000, measures(1, 1), null));
        }
        db.runs().recordAll(runs.subList(0, 1));
        assertEquals(5_000L, db.runs().stats(other.id()).p50DurationMs());
        assertEquals(5_000L, db.runs().stats(other.id()).p95DurationMs());
        db.runs().recordAll(runs.subList(1, 3));
        // sorted 1, 3, 5 s: rank ceil(1.5) = 2 -> 3 s; rank ceil(2.85) = 3 -> 5 s
        assertEquals(3_000L, db.runs().stats(other.id()).p50DurationMs());
        assertEquals(5_000L, db.runs().stats(other.id()).p95DurationMs());
    }

    @Test
    void statsOfAPipelineWithoutRuns() {
        var stats = db.runs().stats(other.id());
        assertEquals(0, stats.count());
        assertNull(stats.successRate());
        assertNull(stats.p50DurationMs());
        assertNull(stats.p95DurationMs());
        assertNull(stats.meanThroughput());
        assertNull(stats.bestThroughput());
    }

    @Test
    void staleRunsAreFoundAndFailedWithTheReason() {
        var now = Instant.now();
        var old = db.runs().start(pipeline.id(), now.minus(Duration.ofHours(2)), RunMeasures.NONE);
        var fresh = db.runs().start(other.id(), now.minus(Duration.ofMinutes(1)), RunMeasures.NONE);
        var ended = db.runs().start(other.id(), now.minus(Duration.ofHours(3)), RunMeasures.NONE);
        db.runs().finish(ended.id(), now.minus(Duration.ofHours(3)).plusSeconds(5), RunMeasures.NONE);
        assertEquals(List.of(old.id()), db.runs().stale(Duration.ofHours(1)).stream().map(PipelineRun::id).toList());
        assertEquals(Set.of(old.id(), fresh.id()),
                Set.copyOf(db.runs().stale(Duration.ZERO).stream().map(PipelineRun::id).toList()));
        var failed = db.runs().failStale(Duration.ofHours(1), "process died");
        assertEquals(1, failed.size());
        var stored = db.runs().find(old.id()).orElseThrow();
        assertEquals(RunStatus.FAILED, stored.status());
        assertEquals("process died", stored.errorMessage());
        assertEquals(RunStatus.RUNNING, db.runs().find(fresh.id()).orElseThrow().status());
        assertTrue(db.runs().stale(Duration.ofHours(1)).isEmpty());
        assertThrows(InvalidArgumentException.class, () -> db.runs().stale(Duration.ofMinutes(-1)));
    }

    /**
     * Runs that start at the same instant come latest-recorded first, whatever their ids (SQLite keeps the
     * recorded order in rowid, PostgreSQL in recorded_order): ids sorted either way would fail this.
     */
    @Test
    void runsStartingAtTheSameInstantAreListedLatestRecordedFirst() {
        var start = T0.plus(2, ChronoUnit.DAYS);
        java.util.function.Function<String, PipelineRun> run = id -> new PipelineRun(id, pipeline.id(),
                RunStatus.SUCCEEDED, 1, start, start.plusSeconds(1), start.plusSeconds(1), 1000L, measures(1, 1), null);
        db.runs().recordAll(List.of(run.apply("tie-z")));
        db.runs().recordAll(List.of(run.apply("tie-b"), run.apply("tie-y")));
        db.runs().recordAll(List.of(run.apply("tie-a")));
        var expected = List.of("tie-a", "tie-y", "tie-b", "tie-z");
        assertEquals(expected, db.runs().list(RunQuery.all()).stream().map(PipelineRun::id).toList());
        assertEquals(expected, db.runs().list(RunQuery.all().pipeline(pipeline.id())).stream().map(PipelineRun::id).toList());
        assertEquals(expected, db.runs().unified(RunFilter.capped()).stream().map(dev.pipescope.domain.Run::id).toList());
        assertEquals(expected, db.runs().unifiedColumns(RunFilter.capped()).ids());
    }

    @Test
    void recordAllRoundTripsAndFollowsTheLatestRun() {
        var runs = recordSample(6);
        for (var run : runs) {
            assertEquals(run, db.runs().find(run.id()).orElseThrow());
        }
        // run-0004 is the pipeline's latest, run-0005 the other's
        assertEquals(4, db.metrics().find(pipeline.id()).orElseThrow().bytesProcessed());
        assertEquals(5, db.metrics().find(other.id()).orElseThrow().bytesProcessed());
    }

    @Test
    void recordAllIsAllOrNothing() {
        recordSample(3);
        var start = T0.plus(1, ChronoUnit.DAYS);
        var fresh = new PipelineRun("new-1", pipeline.id(), RunStatus.SUCCEEDED, 1, start, start.plusSeconds(1),
                start.plusSeconds(1), 1000L, measures(1, 1), null);
        var taken = new PipelineRun("run-0001", pipeline.id(), RunStatus.SUCCEEDED, 1, start, start.plusSeconds(1),
                start.plusSeconds(1), 1000L, measures(1, 1), null);
        var e = assertThrows(DuplicateIdException.class, () -> db.runs().recordAll(List.of(fresh, taken)));
        assertTrue(e.getMessage().contains("run-0001"), e.getMessage());
        assertThrows(DuplicateIdException.class, () -> db.runs().recordAll(List.of(fresh, fresh)));
        var orphan = new PipelineRun("new-2", "01NOPE0000000000000000000Z", RunStatus.SUCCEEDED, 1, start,
                start.plusSeconds(1), start.plusSeconds(1), 1000L, measures(1, 1), null);
        assertThrows(NotFoundException.class, () -> db.runs().recordAll(List.of(fresh, orphan)));
        var unended = new PipelineRun("new-3", pipeline.id(), RunStatus.SUCCEEDED, 1, start, null, start, null,
                measures(1, 1), null);
        assertThrows(InvalidArgumentException.class, () -> db.runs().recordAll(List.of(unended)));
        assertEquals(3, db.runs().count(RunQuery.all()));
        assertTrue(db.runs().find("new-1").isEmpty());
    }

    @Test
    void deletingAPipelineDeletesItsRunsArchivingKeepsThem() {
        recordSample(10);
        assertTrue(db.pipelines().archive(other.id()));
        assertEquals(5, db.runs().count(RunQuery.all().pipeline(other.id())));
        assertTrue(db.pipelines().delete(pipeline.id()));
        assertEquals(0, db.runs().count(RunQuery.all().pipeline(pipeline.id())));
        assertEquals(5, db.runs().count(RunQuery.all()));
    }

    @Test
    void unifiedShowsPipelineRunsWithTheirPipelineName() {
        recordSample(4);
        assertTrue(db.runs().sources().contains(RunSource.PIPESCOPE));
        var all = db.runs().unified(RunFilter.capped().source(RunSource.PIPESCOPE));
        assertEquals(4, all.size());
        var newest = all.get(0);
        assertEquals("run-0003", newest.id());
        assertEquals("encrypt-backups", newest.name());
        assertEquals(RunSource.PIPESCOPE, newest.source());
        assertEquals(Duration.ofSeconds(10), newest.duration());
        assertEquals(3.0, newest.measures().get("bytes_processed"));
        var failed = db.runs().unified(RunFilter.capped().status(RunStatus.FAILED));
        assertEquals(List.of("run-0003", "run-0000"), failed.stream().map(r -> r.id()).toList());
        assertEquals("boom 3", failed.get(0).error());
        assertEquals(2, db.runs().unified(RunFilter.capped().limit(2)).size());
        assertFalse(db.runs().unified(RunFilter.capped().between(T0.plusSeconds(1), T0.plusSeconds(300))).isEmpty());
        assertEquals(List.of("run-0002", "run-0001"), db.runs()
                .unified(RunFilter.capped().between(T0.plusSeconds(1), T0.plusSeconds(150))).stream().map(r -> r.id()).toList());
    }

    @Test
    void endingWithFinalMeasuresNeedsThemAndChangesNothingWithout() {
        var run = db.runs().start(pipeline.id(), T0, RunMeasures.ofInput(1000));
        assertThrows(InvalidArgumentException.class, () -> db.runs().fail(run.id(), T0.plusSeconds(5), "disk full", null));
        assertThrows(InvalidArgumentException.class, () -> db.runs().finish(run.id(), T0.plusSeconds(5), null));
        assertEquals(run, db.runs().find(run.id()).orElseThrow());
        var failed = db.runs().fail(run.id(), "disk full");
        assertEquals(1000, failed.measures().bytesTotal());
        assertEquals(RunStatus.FAILED, failed.status());
    }

    @Test
    void unifiedColumnsHoldTheSameRunsAsUnifiedWhateverTheFilter() {
        recordSample(30);
        var open = db.runs().start(pipeline.id(), T0.plus(Duration.ofHours(2)), RunMeasures.ofInput(7));
        for (var filter : List.of(RunFilter.everything(), RunFilter.capped().limit(7), RunFilter.capped().status(RunStatus.FAILED),
                RunFilter.capped().between(T0.plusSeconds(60), T0.plusSeconds(600)), RunFilter.capped().source(RunSource.PIPESCOPE),
                RunFilter.capped().status(RunStatus.RUNNING))) {
            var expected = db.runs().unified(filter);
            RunColumnsAssert.assertSameRuns(expected, db.runs().unifiedColumns(filter));
            var batches = new ArrayList<RunColumns>();
            db.runs().unifiedColumns(filter, batches::add);
            RunColumnsAssert.assertSameRuns(expected, RunColumns.concat(batches));
        }
        var columns = db.runs().unifiedColumns(RunFilter.everything());
        assertEquals(open.id(), columns.id(0));
        assertTrue(columns.end(0).isEmpty());
        assertTrue(columns.durationMs(0).isEmpty());
        assertEquals(31, columns.size());
    }
}
