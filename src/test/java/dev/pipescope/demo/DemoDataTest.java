package dev.pipescope.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.Pipescope;
import dev.pipescope.domain.PipelineRun;
import dev.pipescope.domain.RunQuery;
import dev.pipescope.domain.RunStatus;
import dev.pipescope.domain.StageType;
import dev.pipescope.error.InvalidArgumentException;
import dev.pipescope.testing.Fixtures;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoDataTest {
    @TempDir
    Path dir;

    /** Every row of the demo's tables, in a fixed order, as text. */
    static List<String> rows(Path file) throws SQLException {
        var rows = new ArrayList<String>();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            for (var sql : List.of("SELECT * FROM pipelines ORDER BY id", "SELECT * FROM pipeline_stages ORDER BY id",
                    "SELECT * FROM stage_parameters ORDER BY stage_id, key",
                    "SELECT * FROM pipeline_configuration ORDER BY pipeline_id, key",
                    "SELECT * FROM processing_metrics ORDER BY pipeline_id", "SELECT * FROM pipeline_runs ORDER BY id",
                    // the DAG tables without their CURRENT_TIMESTAMP bookkeeping columns
                    "SELECT id, dag_id, hex(snapshot_data), created_at FROM snapshots ORDER BY id",
                    "SELECT dag_id, hex(tree_data) FROM execution_trees ORDER BY dag_id",
                    "SELECT dag_id, node_id, key, value FROM artifacts ORDER BY dag_id, node_id, key",
                    "SELECT dag_id, state_type, hex(state_data) FROM execution_state ORDER BY dag_id, state_type",
                    // Hyperpage's and etl-core's tables, whole
                    "SELECT * FROM jobs ORDER BY id", "SELECT * FROM job_history ORDER BY id",
                    "SELECT * FROM rate_limits ORDER BY id", "SELECT * FROM tool_configs ORDER BY tool_name",
                    "SELECT * FROM app_state ORDER BY key", "SELECT * FROM jobtable ORDER BY id",
                    "SELECT * FROM componenttable ORDER BY id", "SELECT * FROM executiontable ORDER BY id",
                    "SELECT * FROM executionattempttable ORDER BY id")) {
                try (var rs = c.createStatement().executeQuery(sql)) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        var row = new StringBuilder();
                        for (int i = 1; i <= columns; i++) {
                            row.append(rs.getString(i)).append('|');
                        }
                        rows.add(row.toString());
                    }
                }
            }
        }
        return rows;
    }

    @Test
    void theSmallDemoIsPlausible() {
        try (var db = DemoData.create(dir.resolve("demo.db"), DemoScale.SMALL)) {
            var pipelines = db.pipelines().listActive();
            assertEquals(12, pipelines.size());
            for (var p : pipelines) {
                assertEquals("input_checksum", p.stages().get(0).name());
                assertEquals("output_checksum", p.stages().get(p.stages().size() - 1).name());
                assertTrue(p.stages().size() >= 3, p.name() + " has only checksum stages");
                assertTrue(p.configuration().containsKey("max_workers"));
            }
            assertEquals(5_000, db.runs().count(RunQuery.all()));
            long failed = db.runs().count(RunQuery.all().status(RunStatus.FAILED));
            assertTrue(failed > 25 && failed < 750, "failed runs: " + failed);
            // two live runs, two whose process died days before the demo's end
            assertEquals(4, db.runs().count(RunQuery.all().status(RunStatus.RUNNING)));
            var all = db.runs().list(RunQuery.all().page(0, 5_000));
            assertTrue(all.stream().anyMatch(r -> r.attempt() == 2), "no retries");
            var newest = all.get(0).startedAt();
            var oldest = all.get(all.size() - 1).startedAt();
            assertTrue(Duration.between(oldest, newest).toDays() >= 27, oldest + " .. " + newest);
            for (var p : pipelines) {
                var stats = db.runs().stats(p.id());
                assertTrue(stats.count() > 0, p.name() + " never ran");
                // between 10 MB/s and 1 GB/s: plausible for sha256 + zstd + aes on a server
                assertTrue(stats.meanThroughput() > 10e6 && stats.meanThroughput() < 1e9, p.name() + ": " + stats);
                assertTrue(stats.p95DurationMs() >= stats.p50DurationMs());
                // upstream's row is the pipeline's latest run
                var latest = db.runs().list(RunQuery.all().pipeline(p.id()).page(0, 1)).get(0);
                assertEquals(latest.toProcessingMetrics(), db.metrics().find(p.id()).orElseThrow());
            }
            assertTrue(pipelines.stream().anyMatch(p -> p.stages().stream()
                    .anyMatch(s -> s.stageType() == StageType.ENCRYPTION)));
            var finished = all.stream().filter(r -> r.status() == RunStatus.SUCCEEDED).findFirst().orElseThrow();
            assertEquals(finished.measures().bytesProcessed(), finished.measures().bytesTotal());
        }
    }

    @Test
    void theSameSeedMakesTheSameDatabaseAndAnotherSeedAnother() throws SQLException {
        var a = dir.resolve("a.db");
        var b = dir.resolve("b.db");
        var c = dir.resolve("c.db");
        DemoData.create(a, DemoScale.SMALL, 7).close();
        DemoData.create(b, DemoScale.SMALL, 7).close();
        DemoData.create(c, DemoScale.SMALL, 8).close();
        var rowsA = rows(a);
        assertEquals(rowsA, rows(b));
        assertNotEquals(rowsA, rows(c));
    }

    @Test
    void theDemoFileHasTheMigratedSchemaIndexesIncluded() throws SQLException {
        var demo = dir.resolve("schema-demo.db");
        var plain = dir.resolve("schema-plain.db");
        DemoData.create(demo, DemoScale.SMALL).close();
        Pipescope.open(plain).close();
        var expected = new ArrayList<>(schema(plain));
        // plus the other tools' tables, each as its tool's fixture has them
        expected.addAll(schema(Fixtures.file("hyperpage.db"), "jobs", "job_history", "rate_limits", "tool_configs",
                "app_state"));
        expected.addAll(schema(Fixtures.file("real/etl_core.db"),
                "jobtable", "componenttable", "executiontable", "executionattempttable"));
        expected.sort(null);
        var actual = new ArrayList<>(schema(demo));
        actual.sort(null);
        assertEquals(expected, actual);
    }

    /** The tables' and their indexes' definitions in another file. */
    static List<String> schema(Path file, String... tables) throws SQLException {
        var rows = new ArrayList<String>();
        try (var c = DriverManager.getConnection("jdbc:sqlite:file:" + file + "?mode=ro")) {
            var st = c.prepareStatement("SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ?"
                    + " AND sql IS NOT NULL");
            for (var table : tables) {
                st.setString(1, table);
                try (var rs = st.executeQuery()) {
                    while (rs.next()) {
                        rows.add(rs.getString(1) + " " + rs.getString(2) + ": " + rs.getString(3));
                    }
                }
            }
        }
        return rows;
    }

    @Test
    void everyToolHasSomethingToShow() throws SQLException {
        var file = dir.resolve("tools.db");
        try (var db = DemoData.create(file, DemoScale.SMALL)) {
            assertEquals(DemoData.ARCHIVED, db.pipelines().listIncludingArchived().size() - db.pipelines().listActive().size());
            // archived pipelines ran in the first half of the span, then stopped
            for (var p : db.pipelines().listIncludingArchived()) {
                if (p.archived()) {
                    var runs = db.runs().list(RunQuery.all().pipeline(p.id()).page(0, 1));
                    assertEquals(1, runs.size(), p.name() + " never ran");
                    assertTrue(runs.get(0).startedAt().isBefore(DemoData.END.minus(Duration.ofDays(13))), p.name());
                }
            }
            // stale: running, last heard of days before the end
            var running = db.runs().list(RunQuery.all().status(RunStatus.RUNNING).page(0, 10));
            assertEquals(DemoData.STALE, running.stream()
                    .filter(r -> r.updatedAt().isBefore(DemoData.END.minus(Duration.ofDays(1)))).count(), running.toString());
            assertTrue(running.stream().filter(r -> r.updatedAt().isAfter(DemoData.END.minus(Duration.ofHours(1))))
                    .count() == 2, "two live runs: " + running);
            assertTrue(db.hyperpage().jobs().list(100).size() > 50, "Hyperpage jobs, read by the Hyperpage source");
            assertTrue(db.etl().listExecutions(dev.pipescope.domain.EtlExecutionQuery.all()).size() >= 30, "ETL executions");
        }
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement()) {
            var rs = st.executeQuery("SELECT count(*), sum(started_at IS NULL), min(created_at), max(updated_at),"
                    + " sum(completed_at IS NOT NULL AND status <> 'completed'), min(length(tool)), count(DISTINCT status)"
                    + " FROM jobs");
            assertTrue(rs.getLong(1) > 50);
            assertEquals(rs.getLong(1), rs.getLong(2), "Hyperpage never sets started_at");
            assertTrue(rs.getLong(3) > 1_700_000_000_000L && rs.getLong(4) <= DemoData.END.toEpochMilli(), "epoch ms");
            assertEquals(0, rs.getLong(5), "completed_at only on completed jobs");
            assertTrue(rs.getLong(6) > 2_000 && rs.getLong(6) < 3_100, "a whole Tool object: " + rs.getLong(6));
            assertEquals(6, rs.getLong(7), "pending, running, completed, failed, cancelled, timeout");
            assertEquals(0, st.executeQuery("SELECT count(*) FROM job_history").getLong(1), "upstream never writes it");
            rs = st.executeQuery("SELECT count(*), count(DISTINCT status), min(started_at), max(length(id)),"
                    + " sum(finished_at IS NULL) FROM executiontable");
            assertTrue(rs.getLong(1) >= 30);
            assertEquals(3, rs.getLong(2), "RUNNING, SUCCESS, FAILED");
            assertTrue(rs.getString(3).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}"), rs.getString(3));
            assertEquals(36, rs.getLong(4));
            assertEquals(1, rs.getLong(5));
            assertTrue(st.executeQuery("SELECT count(*) FROM executionattempttable WHERE attempt_index > 1").getLong(1) > 0,
                    "no retried execution");
        }
    }

    static List<String> schema(Path file) throws SQLException {
        var rows = new ArrayList<String>();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file);
             var rs = c.createStatement().executeQuery("SELECT type, name, sql FROM sqlite_master"
                     + " WHERE name NOT LIKE 'sqlite_%' AND name <> 'flyway_schema_history' ORDER BY name")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2) + ": " + rs.getString(3));
            }
        }
        return rows;
    }

    @Test
    void anExistingFileIsNeverOverwritten() {
        var file = Fixtures.copy("adaptive_pipeline.db", dir);
        var before = Fixtures.sha256(file);
        var e = assertThrows(InvalidArgumentException.class, () -> DemoData.create(file, DemoScale.SMALL));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        assertEquals(before, Fixtures.sha256(file));
    }

    @Test
    void theInMemoryDatabaseTakesTheSameDemo() throws SQLException {
        try (var memory = Pipescope.inMemory()) {
            DemoData.populate(memory, DemoScale.SMALL, 7);
            var file = dir.resolve("same.db");
            try (var db = DemoData.create(file, DemoScale.SMALL, 7)) {
                List<PipelineRun> fromMemory = memory.runs().list(RunQuery.all().page(0, 100));
                assertEquals(db.runs().list(RunQuery.all().page(0, 100)), fromMemory);
            }
            assertThrows(InvalidArgumentException.class, () -> DemoData.populate(memory, DemoScale.SMALL, 7));
        }
    }
}
