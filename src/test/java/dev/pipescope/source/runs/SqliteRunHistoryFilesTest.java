package dev.pipescope.source.runs;

import dev.pipescope.testing.FileState;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.Pipescope;
import dev.pipescope.domain.Layout;
import dev.pipescope.domain.RunMeasures;
import dev.pipescope.domain.RunQuery;
import dev.pipescope.error.CorruptDataException;
import dev.pipescope.error.LayoutNotPresentException;
import dev.pipescope.error.ReadOnlyViolationException;
import dev.pipescope.error.UnknownSchemaException;
import dev.pipescope.testing.Fixtures;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run history on real files: adopting the upstream tool's file, read-only files, files in the way. */
class SqliteRunHistoryFilesTest {
    @TempDir
    Path dir;

    static Map<String, String> schema(Path file) {
        return Fixtures.schema(file);
    }

    static void execute(Path file, String sql) throws SQLException {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            c.createStatement().execute(sql);
        }
    }

    @Test
    void adoptingTheUpstreamFileAddsRunHistoryAndLeavesUpstreamTablesAsTheyWere() throws SQLException {
        var file = Fixtures.copy("adaptive_pipeline.db", dir);
        var before = schema(file);
        String pipelineId;
        try (var db = Pipescope.open(file)) {
            assertEquals(java.util.Set.of(Layout.ADAPTIVE_PIPELINE), db.layouts(), "nothing added before a run is recorded");
            pipelineId = db.pipelines().listActive().get(0).id();
            var run = db.runs().start(pipelineId, Instant.parse("2026-01-01T00:00:00Z"), RunMeasures.ofInput(10));
            db.runs().finish(run.id(), Instant.parse("2026-01-01T00:00:02Z"),
                    new RunMeasures(10, 10, 1, 1, 0, null, 0, 0, 10, 10, null, null));
            assertEquals(Instant.parse("2026-01-01T00:00:02Z"), db.metrics().find(pipelineId).orElseThrow().endTime());
        }
        var after = schema(file);
        before.forEach((name, sql) -> assertEquals(sql, after.get(name), "definition of " + name + " changed"));
        assertTrue(after.containsKey("pipeline_runs"));
        // what the upstream tool reads: its row, in its own time format
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file);
             var rs = c.createStatement().executeQuery("SELECT end_time_rfc3339, processing_duration_ms, "
                     + "throughput_bytes_per_second FROM processing_metrics WHERE pipeline_id = '" + pipelineId + "'")) {
            assertTrue(rs.next());
            assertEquals("2026-01-01T00:00:02+00:00", rs.getString(1));
            assertEquals(2000, rs.getLong(2));
            assertEquals(5.0, rs.getDouble(3), 1e-9);
        }
    }

    @Test
    void aReadOnlyUpstreamFileHasNoRunHistoryAndStaysUntouched() {
        var file = Fixtures.copy("adaptive_pipeline.db", dir);
        var before = Fixtures.sha256(file);
        try (var db = Pipescope.openReadOnly(file)) {
            assertFalse(db.layouts().contains(Layout.RUN_HISTORY));
            var e = assertThrows(LayoutNotPresentException.class, () -> db.runs().list(RunQuery.all()));
            assertTrue(e.getMessage().contains("run history"), e.getMessage());
            assertThrows(LayoutNotPresentException.class, () -> db.runs().start("x"));
            assertTrue(db.runs().sources().isEmpty());
        }
        assertEquals(before, Fixtures.sha256(file));
    }

    @Test
    void aReadOnlyPipescopeFileRefusesRecording() {
        var file = dir.resolve("p.db");
        String id;
        try (var db = Pipescope.open(file)) {
            var p = dev.pipescope.domain.Pipeline.builder("p").build();
            db.pipelines().save(p);
            id = p.id();
            db.runs().start(id);
        }
        var before = Fixtures.sha256(file);
        try (var db = Pipescope.openReadOnly(file)) {
            assertEquals(1, db.runs().count(RunQuery.all()));
            assertThrows(ReadOnlyViolationException.class, () -> db.runs().start(id));
            assertThrows(ReadOnlyViolationException.class, () -> db.runs().failStale(java.time.Duration.ZERO, "x"));
        }
        assertEquals(before, Fixtures.sha256(file));
    }

    @Test
    void aPipelineRunsTableOfAnotherShapeIsRefusedBeforeAnythingWrites() throws SQLException {
        var file = Fixtures.copy("adaptive_pipeline.db", dir);
        execute(file, "CREATE TABLE pipeline_runs (id TEXT PRIMARY KEY, pipeline_id TEXT, status TEXT)");
        var before = Fixtures.sha256(file);
        try (var db = Pipescope.open(file)) {
            var pipeline = db.pipelines().listActive().get(0).id();
            var e = assertThrows(UnknownSchemaException.class, () -> db.runs().start(pipeline));
            assertTrue(e.getMessage().contains("pipeline_runs lacks columns"), e.getMessage());
        }
        assertEquals(before, Fixtures.sha256(file));
    }

    @Test
    void refusedRunWritesLeaveTheFilesBytesAlone() {
        var file = dir.resolve("refused.db");
        try (var db = Pipescope.open(file)) {
            var p = dev.pipescope.domain.Pipeline.builder("p").build();
            db.pipelines().save(p);
            var start = Instant.parse("2026-01-01T00:00:00Z");
            var run = db.runs().start(p.id(), start, RunMeasures.ofInput(10));
            var done = new dev.pipescope.domain.PipelineRun("done-1", p.id(), dev.pipescope.domain.RunStatus.SUCCEEDED,
                    1, start, start.plusSeconds(1), start.plusSeconds(1), 1000L, RunMeasures.NONE, null);
            db.runs().recordAll(java.util.List.of(done));
            var before = FileState.of(file);
            assertThrows(dev.pipescope.error.NotFoundException.class, () -> db.runs().start("01NOPE0000000000000000000Z"));
            assertThrows(dev.pipescope.error.InvalidArgumentException.class,
                    () -> db.runs().finish(run.id(), start.minusSeconds(5), RunMeasures.NONE));
            assertThrows(dev.pipescope.error.IllegalStateTransitionException.class,
                    () -> db.runs().progress("done-1", RunMeasures.NONE));
            assertThrows(dev.pipescope.error.DuplicateIdException.class, () -> db.runs().recordAll(java.util.List.of(
                    new dev.pipescope.domain.PipelineRun("done-2", p.id(), dev.pipescope.domain.RunStatus.SUCCEEDED, 1,
                            start, start.plusSeconds(1), start.plusSeconds(1), 1000L, RunMeasures.NONE, null), done)));
            assertThrows(dev.pipescope.error.InvalidArgumentException.class,
                    () -> db.runs().stale(java.time.Duration.ofSeconds(-1)));
            assertEquals(before, FileState.of(file));
        }
    }

    @Test
    void aBadStoredTimestampIsReportedWithTheRunAndValue() throws SQLException {
        var file = dir.resolve("bad.db");
        String runId;
        try (var db = Pipescope.open(file)) {
            var p = dev.pipescope.domain.Pipeline.builder("p").build();
            db.pipelines().save(p);
            runId = db.runs().start(p.id()).id();
        }
        execute(file, "UPDATE pipeline_runs SET started_at = 'yesterday' WHERE id = '" + runId + "'");
        try (var db = Pipescope.open(file)) {
            var e = assertThrows(CorruptDataException.class, () -> db.runs().find(runId));
            assertTrue(e.getMessage().contains("yesterday"), e.getMessage());
            var before = FileState.of(file);
            assertThrows(CorruptDataException.class, () -> db.runs().finish(runId, RunMeasures.NONE));
            assertEquals(before, FileState.of(file));
            var listed = assertThrows(CorruptDataException.class, () -> db.runs().list(RunQuery.all()));
            assertTrue(listed.getMessage().contains(runId), listed.getMessage());
        }
    }
}
