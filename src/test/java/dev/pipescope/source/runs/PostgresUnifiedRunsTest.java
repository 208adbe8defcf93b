package dev.pipescope.source.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.Pipescope;
import dev.pipescope.Secret;
import dev.pipescope.ServerTarget;
import dev.pipescope.domain.ExecutionTree;
import dev.pipescope.domain.Pipeline;
import dev.pipescope.domain.PipelineRun;
import dev.pipescope.domain.Run;
import dev.pipescope.domain.RunColumns;
import dev.pipescope.domain.RunFilter;
import dev.pipescope.domain.RunMeasures;
import dev.pipescope.domain.RunSource;
import dev.pipescope.domain.RunStatus;
import dev.pipescope.domain.TreeNode;
import dev.pipescope.error.CorruptDataException;
import dev.pipescope.testing.PostgresServer;
import dev.pipescope.testing.RunColumnsAssert;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** "What ran?" on a PostgreSQL database: Pipescope's runs and dagger's tree nodes, row by row and as columns. */
class PostgresUnifiedRunsTest {

    private static void execute(ServerTarget target, String sql) throws SQLException {
        try (var c = DriverManager.getConnection(target.jdbcUrl(), target.user().orElseThrow(),
                target.password().map(Secret::reveal).orElse(null)); var st = c.createStatement()) {
            st.execute(sql);
        }
    }

    @Test
    void pipelineRunsAndDaggerNodesAreOneListAndTheSameColumns() {
        try (var db = Pipescope.open(PostgresServer.get().newDatabase("unified"))) {
            assertEquals(Set.of(RunSource.PIPESCOPE, RunSource.DAGGER), db.runs().sources());
            var p = Pipeline.builder("nightly-compress").build();
            db.pipelines().save(p);
            var run = db.runs().start(p.id(), Instant.parse("2026-01-01T00:00:00Z"), RunMeasures.NONE);
            db.runs().fail(run.id(), Instant.parse("2026-01-01T00:01:00Z"), "disk full", RunMeasures.NONE);
            db.runs().start(p.id(), Instant.parse("2024-01-01T00:00:00Z"), RunMeasures.ofInput(5));
            var at = LocalDateTime.of(2025, 6, 1, 12, 0);
            db.dags().saveExecutionTree("Nightly", new ExecutionTree(List.of(
                    TreeNode.succeeded(0, "fetch", "nightly/fetch", at),
                    new TreeNode(1, "store", false, List.of("attempt 1 failed: disk full"), Optional.of("gave up"),
                            "nightly/store", at.plusMinutes(3), Optional.empty(), Optional.empty())), List.of()));
            var all = db.runs().unified(RunFilter.capped());
            assertEquals(List.of(RunSource.PIPESCOPE, RunSource.DAGGER, RunSource.DAGGER, RunSource.PIPESCOPE),
                    all.stream().map(Run::source).toList());
            assertEquals("nightly-compress", all.get(0).name());
            assertEquals("disk full", all.get(0).error());
            assertEquals("Nightly/store", all.get(1).id());
            assertEquals("gave up", all.get(1).error());
            var failed = db.runs().unified(RunFilter.capped().status(RunStatus.FAILED));
            assertEquals(List.of(run.id(), "Nightly/store"), failed.stream().map(Run::id).toList());
            for (var filter : List.of(RunFilter.everything(), RunFilter.capped().limit(2),
                    RunFilter.capped().status(RunStatus.FAILED), RunFilter.capped().source(RunSource.DAGGER),
                    RunFilter.capped().status(RunStatus.RUNNING, RunStatus.CANCELLED),
                    RunFilter.capped().between(Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z")))) {
                RunColumnsAssert.assertSameRuns(db.runs().unified(filter), db.runs().unifiedColumns(filter));
            }
        }
    }

    /** The columnar read streams: the driver fetches batches instead of holding every row. */
    @Test
    void manyRunsArriveInSeveralBatchesInOrder() {
        try (var db = Pipescope.open(PostgresServer.get().newDatabase("unified_many"))) {
            var p = Pipeline.builder("bulk").build();
            db.pipelines().save(p);
            var t0 = Instant.parse("2025-01-01T00:00:00Z");
            var runs = new ArrayList<PipelineRun>();
            for (int i = 0; i < UnifiedRuns.BATCH_ROWS + 1_000; i++) {
                var start = t0.plusSeconds(i);
                runs.add(new PipelineRun("run-" + i, p.id(), RunStatus.SUCCEEDED, 1, start, start.plusMillis(1500),
                        start.plusMillis(1500), 1500L, RunMeasures.ofInput(i), null));
            }
            db.runs().recordAll(runs);
            var batches = new ArrayList<RunColumns>();
            db.runs().unifiedColumns(RunFilter.everything(), batches::add);
            assertTrue(batches.size() > 1, "batches: " + batches.size());
            var all = RunColumns.concat(batches);
            RunColumnsAssert.assertSameRuns(db.runs().unified(RunFilter.everything()), all);
            assertEquals("run-" + (runs.size() - 1), all.id(0));
            assertEquals(100, db.runs().unifiedColumns(RunFilter.capped().limit(100)).size());
        }
    }

    @Test
    void aRunWithAnImpossibleStartTimeIsReportedWithItsRow() throws SQLException {
        var target = PostgresServer.get().newDatabase("unified_bad_time");
        String runId;
        try (var db = Pipescope.open(target)) {
            var p = Pipeline.builder("nightly").build();
            db.pipelines().save(p);
            runId = db.runs().start(p.id(), Instant.parse("2025-02-28T00:00:00Z"), RunMeasures.NONE).id();
        }
        execute(target, "UPDATE pipeline_runs SET started_at = '2025-02-29T00:00:00.000+00:00'");
        try (var db = Pipescope.openReadOnly(target)) {
            for (var read : List.<Runnable>of(() -> db.runs().unifiedColumns(RunFilter.everything()),
                    () -> db.runs().unified(RunFilter.everything()))) {
                var e = assertThrows(CorruptDataException.class, read::run);
                assertTrue(e.getMessage().contains(runId) && e.getMessage().contains("2025-02-29"), e.getMessage());
            }
        }
    }
}
