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
}
