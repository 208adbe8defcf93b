package dev.pipescope.source.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.Pipescope;
import dev.pipescope.domain.Pipeline;
import dev.pipescope.domain.Run;
import dev.pipescope.domain.RunColumns;
import dev.pipescope.domain.RunFilter;
import dev.pipescope.domain.RunMeasures;
import dev.pipescope.domain.RunSource;
import dev.pipescope.domain.RunStatus;
import dev.pipescope.error.CorruptDataException;
import dev.pipescope.testing.Fixtures;
import dev.pipescope.testing.RunColumnsAssert;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** "What ran?" over each fixture's run source, and over a file holding several. */
class UnifiedRunsTest {
    @TempDir
    Path dir;

    static Map<RunStatus, Long> byStatus(java.util.List<Run> runs) {
        return runs.stream().collect(Collectors.groupingBy(Run::status, Collectors.counting()));
    }

    @Test
    void hyperpageJobsAreRuns() {
        try (var db = Pipescope.openReadOnly(Fixtures.copy("hyperpage.db", dir))) {
            assertEquals(Set.of(RunSource.HYPERPAGE), db.runs().sources());
            var runs = db.runs().unified(RunFilter.capped());
            assertEquals(41, runs.size());
            assertEquals(Map.of(RunStatus.CANCELLED, 6L, RunStatus.SUCCEEDED, 15L, RunStatus.FAILED, 13L,
                    RunStatus.PENDING, 4L, RunStatus.RUNNING, 3L), byStatus(runs));
            var byId = runs.stream().collect(Collectors.toMap(Run::id, Function.identity()));
            var retried = byId.get("jira-1761603722986-pkrfhc");
            assertEquals("refresh jira issues", retried.name());
            assertEquals("completed", retried.sourceStatus());
            assertEquals(3, retried.attempts());
            assertEquals(Duration.ofMillis(1761603834989L - 1761603723246L), retried.duration());
            assertEquals(2.0, retried.measures().get("priority"));
            assertEquals(0, byId.get("github-1761604027080-0ukoic").attempts());
            // queued jobs sit on the time axis at created_at (Hyperpage writes no start)
            assertTrue(runs.stream().allMatch(r -> r.time().isPresent()));
        }
    }

    @Test
    void etlExecutionsAreRuns() {
        try (var db = Pipescope.open(Fixtures.copy("etl_core.db", dir),
                dev.pipescope.ConnectionSettings.readOnlyDefaults().withNaiveTimeZone(java.time.ZoneOffset.UTC))) {
            assertEquals(Set.of(RunSource.ETL), db.runs().sources());
            var runs = db.runs().unified(RunFilter.capped());
            assertEquals(16, runs.size());
            assertEquals(Map.of(RunStatus.RUNNING, 7L, RunStatus.SUCCEEDED, 8L, RunStatus.FAILED, 1L), byStatus(runs));
            var failed = db.runs().unified(RunFilter.capped().status(RunStatus.FAILED)).get(0);
            assertEquals("a78826d6-11ae-4297-9f9c-3b5bbeb2cca9", failed.id());
            assertEquals("job_events_0", failed.name());
            assertEquals(3, failed.attempts());
            assertEquals("ValueError: bad row 17", failed.error());
            assertEquals(Instant.parse("2025-09-25T13:36:04.858533Z"), failed.end());
            assertEquals(11, db.runs().unified(RunFilter.capped().between(Instant.parse("2025-09-25T15:00:00Z"),
                    Instant.parse("2025-09-26T00:00:00Z"))).size());
        }
    }

    @Test
    void daggerNodeOutcomesAreRuns() {
        try (var db = Pipescope.openReadOnly(Fixtures.copy("dagger_cache.db", dir))) {
            assertEquals(Set.of(RunSource.DAGGER), db.runs().sources());
            var runs = db.runs().unified(RunFilter.capped());
            // 6 + 5 + 4 nodes in the fixture's three trees (read with zstd and python)
            assertEquals(15, runs.size());
            var failed = db.runs().unified(RunFilter.capped().status(RunStatus.FAILED));
            assertEquals(2, failed.size());
            var etl = failed.get(0);
            assertEquals("etl_daily/etl_enrich", etl.id());
            assertEquals("etl_daily", etl.ownerId());
            assertEquals(3, etl.attempts());
            assertEquals("node failed after 3 attempts", etl.error());
            assertEquals(Instant.parse("2025-09-22T12:40:21.849427186Z"), etl.end());
            assertNull(etl.start());
            assertEquals("train_model/train_store", failed.get(1).id());
            assertEquals("train_model/train_fetch", runs.get(runs.size() - 1).id());
        }
    }

    @Test
    void theLegacyDaggerLayoutHasTheSameTrees() {
        try (var db = Pipescope.openReadOnly(Fixtures.copy("dagger_cache_legacy.db", dir))) {
            assertEquals(Set.of(RunSource.DAGGER), db.runs().sources());
            var runs = db.runs().unified(RunFilter.capped());
            // three trees of 4 nodes, one failed node each (read with zstd and python)
            assertEquals(12, runs.size());
            assertEquals(3, db.runs().unified(RunFilter.capped().status(RunStatus.FAILED)).size());
            assertEquals(Set.of("ingest_orders", "nightly_report", "sync_users"),
                    runs.stream().map(Run::ownerId).collect(Collectors.toSet()));
        }
    }

    @Test
    void aTreeThatIsNotZstdIsReportedWithItsDag() throws Exception {
        var file = Fixtures.copy("dagger_cache.db", dir);
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            c.createStatement().execute("UPDATE execution_trees SET tree_data = X'00010203' WHERE dag_id = 'nightly_report'");
        }
        var before = Fixtures.sha256(file);
        try (var db = Pipescope.openReadOnly(file)) {
            var e = assertThrows(CorruptDataException.class, () -> db.runs().unified(RunFilter.capped()));
            assertTrue(e.getMessage().contains("nightly_report"), e.getMessage());
            assertTrue(db.runs().unified(RunFilter.capped().source(RunSource.HYPERPAGE)).isEmpty());
        }
        assertEquals(before, Fixtures.sha256(file));
    }

    /**
     * A new Pipescope file that also holds Hyperpage's tables and rows, as its own fixture has them: one
     * file with several sources (a read-write open of Hyperpage's own file adds nothing to it).
     */
    static Path withHyperpageTables(Path file) {
        Pipescope.open(file).close();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement()) {
            st.execute("ATTACH DATABASE '" + Fixtures.file("hyperpage.db") + "' AS hp");
            var tables = new java.util.ArrayList<String[]>();
            try (var rs = st.executeQuery("SELECT name, sql FROM hp.sqlite_master WHERE type = 'table' "
                    + "AND name NOT LIKE 'sqlite_%'")) {
                while (rs.next()) {
                    tables.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            for (var table : tables) {
                st.execute(table[1]);
                st.execute("INSERT INTO main.\"" + table[0] + "\" SELECT * FROM hp.\"" + table[0] + "\"");
            }
            st.execute("DETACH DATABASE hp");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot copy Hyperpage's tables into " + file, e);
        }
        return file;
    }

    @Test
    void aFileWithSeveralSourcesAnswersForAllOfThem() {
        var file = withHyperpageTables(dir.resolve("several.db"));
        try (var db = Pipescope.open(file)) {
            // a Pipescope file holds its whole schema, the (still empty) dagger tables included
            assertEquals(Set.of(RunSource.HYPERPAGE, RunSource.PIPESCOPE, RunSource.DAGGER), db.runs().sources());
            var p = Pipeline.builder("nightly-compress").build();
            db.pipelines().save(p);
            // after every Hyperpage job in time
            var run = db.runs().start(p.id(), Instant.parse("2026-01-01T00:00:00Z"), RunMeasures.NONE);
            db.runs().fail(run.id(), Instant.parse("2026-01-01T00:01:00Z"), "disk full", RunMeasures.NONE);
            var all = db.runs().unified(RunFilter.capped());
            assertEquals(42, all.size());
            assertEquals(RunSource.PIPESCOPE, all.get(0).source());
            assertEquals("nightly-compress", all.get(0).name());
            var failed = db.runs().unified(RunFilter.capped().status(RunStatus.FAILED));
            assertEquals(14, failed.size(), "5 failed and 8 timed-out jobs, and the pipeline run");
            assertEquals("disk full", failed.get(0).error());
            assertEquals(41, db.runs().unified(RunFilter.capped().source(RunSource.HYPERPAGE)).size());
            assertEquals(10, db.runs().unified(RunFilter.capped().limit(10)).size());
        }
    }

    @Test
    void columnsHoldWhatUnifiedHoldsForEverySourceAndFilter() {
        var file = withHyperpageTables(dir.resolve("several.db"));
        try (var db = Pipescope.open(file)) {
            var p = Pipeline.builder("nightly-compress").build();
            db.pipelines().save(p);
            var run = db.runs().start(p.id(), Instant.parse("2026-01-01T00:00:00Z"), RunMeasures.NONE);
            db.runs().fail(run.id(), Instant.parse("2026-01-01T00:01:00Z"), "disk full", RunMeasures.NONE);
            db.runs().start(p.id(), Instant.parse("2024-01-01T00:00:00Z"), RunMeasures.ofInput(5));
            for (var filter : java.util.List.of(RunFilter.everything(), RunFilter.capped().limit(10),
                    RunFilter.capped().status(RunStatus.FAILED), RunFilter.capped().source(RunSource.HYPERPAGE))) {
                RunColumnsAssert.assertSameRuns(db.runs().unified(filter), db.runs().unifiedColumns(filter));
            }
        }
        for (var fixture : java.util.List.of("etl_core.db", "dagger_cache.db", "dagger_cache_legacy.db")) {
            try (var db = Pipescope.openReadOnly(Fixtures.copy(fixture, dir))) {
                RunColumnsAssert.assertSameRuns(db.runs().unified(RunFilter.everything()),
                        db.runs().unifiedColumns(RunFilter.everything()));
            }
        }
    }

    @Test
    void manyRunsArriveInSeveralBatchesInOrder() {
        try (var db = Pipescope.open(dir.resolve("many.db"))) {
            var p = Pipeline.builder("bulk").build();
            db.pipelines().save(p);
            var t0 = Instant.parse("2025-01-01T00:00:00Z");
            var runs = new java.util.ArrayList<dev.pipescope.domain.PipelineRun>();
            for (int i = 0; i < UnifiedRuns.BATCH_ROWS + 1_000; i++) {
                var start = t0.plusSeconds(i);
                runs.add(new dev.pipescope.domain.PipelineRun("run-" + i, p.id(), RunStatus.SUCCEEDED, 1, start,
                        start.plusMillis(1500), start.plusMillis(1500), 1500L, RunMeasures.ofInput(i), null));
            }
            db.runs().recordAll(runs);
            var batches = new java.util.ArrayList<RunColumns>();
            db.runs().unifiedColumns(RunFilter.everything(), batches::add);
            assertTrue(batches.size() > 1, "batches: " + batches.size());
            var all = RunColumns.concat(batches);
            RunColumnsAssert.assertSameRuns(db.runs().unified(RunFilter.everything()), all);
            assertEquals("run-" + (runs.size() - 1), all.id(0));
            assertEquals(100, db.runs().unifiedColumns(RunFilter.capped().limit(100)).size());
        }
    }

    @Test
    void aRunWithAnImpossibleStartTimeIsReportedWithItsRow() throws Exception {
        var file = dir.resolve("bad-time.db");
        String runId;
        try (var db = Pipescope.open(file)) {
            var p = Pipeline.builder("nightly").build();
            db.pipelines().save(p);
            runId = db.runs().start(p.id(), Instant.parse("2025-02-28T00:00:00Z"), RunMeasures.NONE).id();
        }
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement()) {
            st.executeUpdate("UPDATE pipeline_runs SET started_at = '2025-02-29T00:00:00.000+00:00'");
        }
        try (var db = Pipescope.openReadOnly(file)) {
            var e = assertThrows(CorruptDataException.class, () -> db.runs().unifiedColumns(RunFilter.everything()));
            assertTrue(e.getMessage().contains("pipeline_runs row " + runId) && e.getMessage().contains("2025-02-29"),
                    e.getMessage());
        }
    }
}
