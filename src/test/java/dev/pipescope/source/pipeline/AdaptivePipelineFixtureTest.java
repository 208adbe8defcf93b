package dev.pipescope.source.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.Pipescope;
import dev.pipescope.domain.Layout;
import dev.pipescope.domain.Pipeline;
import dev.pipescope.domain.PipelineStage;
import dev.pipescope.testing.Fixtures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adaptive pipeline tool's real-format database: everything reads back exactly as plain JDBC
 * sees it, writing it back changes no character, and adopting the file read-write is additive.
 */
class AdaptivePipelineFixtureTest {
    private static final String FIXTURE = "adaptive_pipeline.db";
    private static final List<String> UPSTREAM_TABLES = List.of("pipelines", "pipeline_configuration",
            "pipeline_stages", "stage_parameters", "processing_metrics");

    @TempDir
    Path dir;

    /** Every row of a table as text, ordered, exactly as SQLite stores it (type-tagged). */
    private static List<String> rows(Path file, String table) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             var st = c.createStatement();
             var rs = st.executeQuery("SELECT * FROM " + table)) {
            var out = new ArrayList<String>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                var row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    Object v = rs.getObject(i);
                    var shown = v instanceof byte[] bytes ? java.util.HexFormat.of().formatHex(bytes) : v;
                    row.append(rs.getMetaData().getColumnName(i)).append('=')
                            .append(v == null ? "NULL" : v.getClass().getSimpleName() + ":" + shown).append('|');
                }
                out.add(row.toString());
            }
            out.sort(null);
            return out;
        }
    }

    private static String schemaOf(Path file, String table) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             var ps = c.prepareStatement("SELECT group_concat(sql, ';') FROM sqlite_master WHERE tbl_name = ? ORDER BY name")) {
            ps.setString(1, table);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Test
    void everyPipelineStageParameterAndConfigurationEntryReadsBackAsStored() throws SQLException {
        var fixture = Fixtures.file(FIXTURE);
        var hash = Fixtures.sha256(fixture);
        List<Pipeline> all;
        try (var db = Pipescope.openReadOnly(fixture)) {
            assertEquals(Set.of(Layout.ADAPTIVE_PIPELINE), db.layouts());
            all = db.pipelines().listIncludingArchived();
        }
        assertEquals(rows(fixture, "pipelines").size(), all.size());
        assertEquals(11, all.size());
        // compare field by field with what plain JDBC reads
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + fixture)) {
            for (var p : all) {
                try (var ps = c.prepareStatement("SELECT name, archived, created_at, updated_at FROM pipelines WHERE id = ?")) {
                    ps.setString(1, p.id());
                    try (var rs = ps.executeQuery()) {
                        assertTrue(rs.next());
                        assertEquals(rs.getString(1), p.name());
                        assertEquals(rs.getInt(2) == 1, p.archived());
                        assertEquals(rs.getString(3), dev.pipescope.domain.Timestamps.format(p.createdAt()));
                        assertEquals(rs.getString(4), dev.pipescope.domain.Timestamps.format(p.updatedAt()));
                    }
                }
                var stageRows = new ArrayList<String>();
                try (var ps = c.prepareStatement("SELECT id, name, stage_type, enabled, stage_order, algorithm, "
                        + "parallel_processing, chunk_size, archived FROM pipeline_stages WHERE pipeline_id = ? ORDER BY stage_order")) {
                    ps.setString(1, p.id());
                    try (var rs = ps.executeQuery()) {
                        while (rs.next()) {
                            stageRows.add(String.join(",", rs.getString(1), rs.getString(2), rs.getString(3),
                                    rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                                    String.valueOf(rs.getString(8)), rs.getString(9)));
                        }
                    }
                }
                assertEquals(stageRows, p.stages().stream().map(s -> String.join(",", s.id(), s.name(),
                        s.stageType().dbValue(), s.enabled() ? "1" : "0", Integer.toString(s.stageOrder()), s.algorithm(),
                        s.parallelProcessing() ? "1" : "0", String.valueOf(s.chunkSize()), s.archived() ? "1" : "0"))
                        .toList());
                try (var ps = c.prepareStatement("SELECT key, value FROM pipeline_configuration WHERE pipeline_id = ?")) {
                    ps.setString(1, p.id());
                    var config = new TreeMap<String, String>();
                    try (var rs = ps.executeQuery()) {
                        while (rs.next()) {
                            config.put(rs.getString(1), rs.getString(2));
                        }
                    }
                    assertEquals(config, new TreeMap<>(p.configuration()));
                }
                for (PipelineStage s : p.stages()) {
                    try (var ps = c.prepareStatement("SELECT key, value FROM stage_parameters WHERE stage_id = ?")) {
                        ps.setString(1, s.id());
                        var params = new TreeMap<String, String>();
                        try (var rs = ps.executeQuery()) {
                            while (rs.next()) {
                                params.put(rs.getString(1), rs.getString(2));
                            }
                        }
                        assertEquals(params, new TreeMap<>(s.parameters()));
                    }
                }
            }
        }
        assertEquals(hash, Fixtures.sha256(fixture), "a read-only open never writes");
    }

    @Test
    void writingEveryAggregateAndMetricsRowBackChangesNoCharacter() throws SQLException {
        var fixture = Fixtures.file(FIXTURE);
        var target = dir.resolve("rewritten.db");
        try (var source = Pipescope.openReadOnly(fixture); var copy = Pipescope.open(target)) {
            copy.pipelines().saveAll(source.pipelines().listIncludingArchived());
            source.metrics().list().forEach(copy.metrics()::upsert);
        }
        for (var table : UPSTREAM_TABLES) {
            assertEquals(rows(fixture, table), rows(target, table), table);
        }
        assertEquals(9, rows(target, "processing_metrics").size());
    }

    @Test
    void metricsReadExactlyIncludingFullPrecisionReals() throws SQLException {
        var fixture = Fixtures.file(FIXTURE);
        try (var db = Pipescope.openReadOnly(fixture);
             Connection c = DriverManager.getConnection("jdbc:sqlite:" + fixture);
             var st = c.createStatement();
             var rs = st.executeQuery("SELECT pipeline_id, bytes_total, throughput_bytes_per_second, compression_ratio, "
                     + "end_time_rfc3339 FROM processing_metrics ORDER BY pipeline_id")) {
            var list = db.metrics().list();
            int i = 0;
            while (rs.next()) {
                var m = list.get(i++);
                assertEquals(rs.getString(1), m.pipelineId());
                assertEquals(rs.getLong(2), m.bytesTotal());
                assertEquals(rs.getDouble(3), m.throughputBytesPerSecond());
                assertEquals(rs.getDouble(4), m.compressionRatio());
                assertEquals(rs.getString(5) == null, m.endTime() == null);
            }
            assertEquals(list.size(), i);
            assertTrue(list.stream().anyMatch(m -> m.bytesTotal() > Integer.MAX_VALUE), "64-bit counts present");
        }
    }

    @Test
    void readWriteOpenLeavesTheUpstreamFileAsItWasUntilARunIsRecorded() throws SQLException {
        var copy = Fixtures.copy(FIXTURE, dir);
        var before = new TreeMap<String, String>();
        for (var table : List.of("pipelines", "pipeline_configuration", "pipeline_stages", "stage_parameters",
                "processing_metrics", "_sqlx_migrations")) {
            before.put(table, schemaOf(copy, table) + "\n" + String.join("\n", rows(copy, table)));
        }
        var tablesBefore = Fixtures.schema(copy).keySet();
        try (var db = Pipescope.open(copy)) {
            assertEquals(Set.of(Layout.ADAPTIVE_PIPELINE), db.layouts());
            assertEquals(9, db.pipelines().count());
        }
        assertEquals(tablesBefore, Fixtures.schema(copy).keySet(), "a read-write open added nothing");
        for (var entry : before.entrySet()) {
            var table = entry.getKey();
            assertEquals(entry.getValue(), schemaOf(copy, table) + "\n" + String.join("\n", rows(copy, table)), table);
        }
        // the upstream migration record is still the one sqlx expects, and Flyway's history sits beside it
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy);
             var st = c.createStatement();
             var rs = st.executeQuery("SELECT version, length(checksum) FROM _sqlx_migrations")) {
            assertTrue(rs.next());
            assertEquals(20250101000000L, rs.getLong(1));
            assertEquals(48, rs.getInt(2));
            assertFalse(rs.next());
        }
        // and reopening adds nothing more
        var hash = Fixtures.sha256(copy);
        try (var db = Pipescope.openReadOnly(copy)) {
            assertEquals(9, db.pipelines().count());
        }
        assertEquals(hash, Fixtures.sha256(copy));
        // the first recorded run gives the file Flyway's history and pipeline_runs, and only those
        try (var db = Pipescope.open(copy)) {
            var pipeline = db.pipelines().listActive().get(0);
            db.runs().finish(db.runs().start(pipeline.id()).id(), dev.pipescope.domain.RunMeasures.ofInput(1));
            assertEquals(Set.of(Layout.PIPESCOPE, Layout.ADAPTIVE_PIPELINE, Layout.RUN_HISTORY), db.layouts());
        }
        var added = new java.util.TreeSet<>(Fixtures.schema(copy).keySet());
        added.removeAll(tablesBefore);
        assertTrue(added.contains("pipeline_runs"), added.toString());
        assertTrue(added.stream().allMatch(name -> name.startsWith("flyway_schema_history")
                || name.contains("pipeline_runs")), added.toString());
    }

    @Test
    void writesOnTheAdoptedFileAreVisibleToPlainSqlite() throws SQLException {
        var copy = Fixtures.copy(FIXTURE, dir);
        try (var db = Pipescope.open(copy)) {
            var p = db.pipelines().findByName("compress-logs").orElseThrow();
            db.pipelines().archive(p.id());
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy);
             var st = c.createStatement();
             var rs = st.executeQuery("SELECT count(*) FROM stage_parameters sp JOIN pipeline_stages s ON s.id = sp.stage_id "
                     + "JOIN pipelines p ON p.id = s.pipeline_id WHERE p.name = 'compress-logs' AND sp.archived = 0")) {
            assertTrue(rs.next());
            assertEquals(0, rs.getInt(1), "archive reaches the parameter rows too");
        }
        var stages = rows(copy, "pipeline_stages").stream().filter(r -> r.contains("archived=Integer:1")).count();
        assertTrue(stages > 0);
        assertEquals(stages, rows(copy, "pipeline_stages").stream().filter(r -> r.contains("archived=Integer:1"))
                .collect(Collectors.toList()).size());
    }
}
