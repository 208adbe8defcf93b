package dev.pipescope.source.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.Pipescope;
import dev.pipescope.error.UnknownSchemaException;
import dev.pipescope.testing.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adaptive pipeline's own test-data layout (its generated_database.sql column set): read read-only,
 * the missing columns given their absent value; refused read-write, naming what it is; a file missing
 * more than an older column set is refused naming each table's missing columns.
 */
class GeneratedDatabaseLayoutTest {
    @TempDir
    Path dir;

    @Test
    void theOlderColumnSetIsReadReadOnly() throws Exception {
        var file = Fixtures.fromScript("fixtures/adaptive_pipeline_generated.sql", dir, "generated.db");
        var before = Fixtures.sha256(file);
        try (var db = Pipescope.openReadOnly(file)) {
            assertEquals(java.util.Set.of(dev.pipescope.domain.Layout.ADAPTIVE_PIPELINE), db.layouts());
            var pipelines = db.pipelines().listActive();
            assertEquals(1, pipelines.size());
            var p = pipelines.get(0);
            assertEquals("nightly-backup", p.name());
            assertEquals(java.util.List.of("input_checksum", "compression", "output_checksum"),
                    p.stages().stream().map(dev.pipescope.domain.PipelineStage::name).toList());
            assertTrue(p.stages().stream().allMatch(st -> st.stageType() == dev.pipescope.domain.StageType.CUSTOM
                    && !st.archived()), p.stages().toString());
            assertEquals("zstd", p.configuration().get("compression_algorithm"));
            assertEquals(1, db.metrics().list().size());
        }
        var e = assertThrows(UnknownSchemaException.class, () -> Pipescope.open(file));
        assertTrue(e.getMessage().contains("older column set") && e.getMessage().contains("openReadOnly"),
                e.getMessage());
        assertEquals(before, Fixtures.sha256(file), "the file is left untouched");
    }

    @Test
    void aFileMissingMoreThanAnOlderColumnSetNamesTheMissingColumnsPerTable() throws Exception {
        var file = Fixtures.fromScript("fixtures/adaptive_pipeline_generated.sql", dir, "generated.db");
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement()) {
            st.execute("ALTER TABLE pipeline_stages DROP COLUMN chunk_size");
        }
        var before = Fixtures.sha256(file);
        var e = assertThrows(UnknownSchemaException.class, () -> Pipescope.openReadOnly(file));
        var message = e.getMessage();
        for (var expected : new String[] {
                "ADAPTIVE_PIPELINE",
                "pipeline_stages lacks columns [archived, chunk_size]",
                "stage_parameters lacks columns [archived, created_at, updated_at]",
                "pipeline_configuration lacks columns [archived, created_at, updated_at]"}) {
            assertTrue(message.contains(expected), "'" + expected + "' in: " + message);
        }
        // tables with every column they need are not blamed
        assertTrue(!message.contains("pipelines lacks") && !message.contains("processing_metrics lacks"), message);
        assertEquals(before, Fixtures.sha256(file), "the file is left untouched");
    }
}
