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
 * The adaptive pipeline's own test-data layout (its generated_database.sql column set): refused, and the
 * refusal names each table's missing columns instead of only "match no layout".
 */
class GeneratedDatabaseLayoutTest {
    @TempDir
    Path dir;

    @Test
    void theRefusalNamesTheMissingColumnsPerTable() throws Exception {
        var file = Fixtures.fromScript("fixtures/adaptive_pipeline_generated.sql", dir, "generated.db");
        var before = Fixtures.sha256(file);
        var e = assertThrows(UnknownSchemaException.class, () -> Pipescope.openReadOnly(file));
        var message = e.getMessage();
        for (var expected : new String[] {
                "ADAPTIVE_PIPELINE",
                "pipeline_stages lacks columns [archived]",
                "stage_parameters lacks columns [archived, created_at, updated_at]",
                "pipeline_configuration lacks columns [archived, created_at, updated_at]"}) {
            assertTrue(message.contains(expected), "'" + expected + "' in: " + message);
        }
        // tables with every column they need are not blamed
        assertTrue(!message.contains("pipelines lacks") && !message.contains("processing_metrics lacks"), message);
        assertThrows(UnknownSchemaException.class, () -> Pipescope.open(file));
        assertEquals(before, Fixtures.sha256(file), "the file is left untouched");
    }
}
