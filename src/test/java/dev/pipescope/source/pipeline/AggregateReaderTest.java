package dev.pipescope.source.pipeline;

import dev.pipescope.demo.DemoData;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.Pipescope;
import dev.pipescope.demo.DemoScale;
import dev.pipescope.domain.Pipeline;
import dev.pipescope.testing.Fixtures;
import java.nio.file.Path;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lookups by id and name and the listing run different statements over the same rows and must give the
 * same pipelines, also where another tool's file holds a BLOB in a text column or text in a number column
 * (read as plain JDBC reads them).
 */
class AggregateReaderTest {
    @TempDir
    Path dir;

    private static void assertLookupsMatchTheListing(Path file) {
        try (var db = Pipescope.openReadOnly(file)) {
            var listed = db.pipelines().listIncludingArchived();
            assertFalse(listed.isEmpty());
            for (Pipeline pipeline : listed) {
                assertEquals(pipeline, db.pipelines().findById(pipeline.id()).orElseThrow(), pipeline.id());
                if (!pipeline.archived()) {
                    assertEquals(pipeline, db.pipelines().findByName(pipeline.name()).orElseThrow(), pipeline.name());
                }
            }
        }
    }

    @Test
    void lookupsAndListingsAgreeOnTheUpstreamFixtureAndTheDemo() {
        assertLookupsMatchTheListing(Fixtures.copy("adaptive_pipeline.db", dir));
        var demo = dir.resolve("demo.db");
        DemoData.create(demo, DemoScale.SMALL).close();
        assertLookupsMatchTheListing(demo);
    }

    @Test
    void aBlobInATextColumnOrTextInANumberColumnReadsAsPlainJdbcSeesIt() throws Exception {
        var file = Fixtures.copy("adaptive_pipeline.db", dir);
        String id;
        String stageId;
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement()) {
            try (var rs = st.executeQuery("SELECT s.pipeline_id, s.id FROM pipeline_stages s"
                    + " JOIN pipeline_configuration c ON c.pipeline_id = s.pipeline_id LIMIT 1")) {
                assertTrue(rs.next(), "the fixture has a pipeline with stages and configuration");
                id = rs.getString(1);
                stageId = rs.getString(2);
            }
            // another tool wrote a BLOB where text belongs, and text where a number belongs
            st.executeUpdate("UPDATE pipeline_configuration SET value = X'00FF41' WHERE pipeline_id = '" + id + "'");
            st.executeUpdate("UPDATE pipeline_stages SET stage_order = ' 7 apples', enabled = 'yes'"
                    + " WHERE id = '" + stageId + "'");
        }
        assertLookupsMatchTheListing(file);
        try (var db = Pipescope.openReadOnly(file)) {
            var stage = db.pipelines().findById(id).orElseThrow().stages().stream()
                    .filter(s -> s.id().equals(stageId)).findFirst().orElseThrow();
            try (var c = DriverManager.getConnection("jdbc:sqlite:" + file);
                 var rs = c.createStatement().executeQuery("SELECT stage_order, enabled FROM pipeline_stages WHERE id = '"
                         + stageId + "'")) {
                rs.next();
                assertEquals(rs.getInt(1), stage.stageOrder());
                assertEquals(rs.getBoolean(2), stage.enabled());
            }
        }
    }

    @Test
    void textIsReadAsPlainJdbcReadsItWhateverItsCharactersOrStorageClass() throws Exception {
        var file = dir.resolve("text.db");
        var name = "café-☕-パイプライン";
        try (var db = Pipescope.open(file)) {
            db.pipelines().save(Pipeline.builder(name).config("emoji", "🚀 naïve").config("blob", "replaced below")
                    .stage(dev.pipescope.domain.PipelineStage.builder("stage-é", dev.pipescope.domain.StageType.CUSTOM,
                            "algo-ü").parameter("clé", "välue"))
                    .build());
        }
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement()) {
            // invalid UTF-8 in a BLOB, and a number, where text belongs
            st.executeUpdate("UPDATE pipeline_configuration SET value = X'00FF41E282' WHERE key = 'blob'");
            st.executeUpdate("INSERT INTO pipeline_configuration (pipeline_id, key, value, archived, created_at, updated_at)"
                    + " SELECT pipeline_id, 'number', 42.5, archived, created_at, updated_at FROM pipeline_configuration"
                    + " WHERE key = 'blob'");
        }
        var plain = new java.util.TreeMap<String, String>();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement();
             var rs = st.executeQuery("SELECT key, value FROM pipeline_configuration")) {
            while (rs.next()) {
                plain.put(rs.getString(1), rs.getString(2));
            }
        }
        try (var db = Pipescope.openReadOnly(file)) {
            var found = db.pipelines().findByName(name).orElseThrow();
            assertEquals(name, found.name());
            assertEquals(plain, new java.util.TreeMap<>(found.configuration()));
            assertEquals("🚀 naïve", found.configuration().get("emoji"));
            assertEquals("42.5", found.configuration().get("number"));
            var stage = found.stages().stream().filter(x -> x.name().equals("stage-é")).findFirst().orElseThrow();
            assertEquals("algo-ü", stage.algorithm());
            assertEquals(java.util.Map.of("clé", "välue"), stage.parameters());
        }
        assertLookupsMatchTheListing(file);
    }
}
