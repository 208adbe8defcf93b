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
                    "SELECT dag_id, state_type, hex(state_data) FROM execution_state ORDER BY dag_id, state_type")) {
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
            assertEquals(2, db.runs().count(RunQuery.all().status(RunStatus.RUNNING)));
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
        assertEquals(schema(plain), schema(demo));
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
