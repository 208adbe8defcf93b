package dev.pipescope.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.Pipescope;
import dev.pipescope.domain.Layout;
import dev.pipescope.sqlite.Migrations;
import dev.pipescope.testing.Fixtures;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite's scripts moved to {@code migrations/sqlite/} unchanged: files an earlier build migrated keep
 * validating against them (Flyway compares each applied script's checksum), and migrate on as before.
 */
class SqliteMigrationFoldersTest {
    private static final String BEFORE = "fixtures/pipescope_v3_before_engine_folders.sql";

    @TempDir
    Path dir;

    private static List<String> history(Path file) throws SQLException {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement();
             var rs = st.executeQuery("SELECT version, script, checksum FROM flyway_schema_history ORDER BY installed_rank")) {
            var rows = new ArrayList<String>();
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getInt(3));
            }
            return rows;
        }
    }

    private static final List<String> RECORDED_BEFORE = List.of(
            "1 V1__adaptive_pipeline_schema.sql 1687085514",
            "2 V2__dagger_cache.sql -591655305",
            "3 V3__pipeline_runs.sql -808209176");

    @Test
    void aFileMigratedBeforeTheMoveValidatesAgainstTheMovedScripts() throws SQLException {
        var file = Fixtures.fromScript(BEFORE, dir, "before.db");
        assertEquals(RECORDED_BEFORE, history(file));
        var validation = Flyway.configure().dataSource("jdbc:sqlite:" + file, null, null)
                .locations("classpath:" + Migrations.LOCATION).load().validateWithResult();
        assertTrue(validation.validationSuccessful, validation.getAllErrorMessages());
        try (var db = Pipescope.open(file)) {
            assertTrue(db.layouts().contains(Layout.RUN_HISTORY));
            assertEquals("made-before-engine-folders", db.pipelines().listActive().get(0).name());
        }
        assertEquals(RECORDED_BEFORE, history(file));
    }

    /** A file at V2 gains V3 from the moved script, with the checksum the earlier build recorded for it. */
    @Test
    void aFileAtAnEarlierVersionMigratesOnWithTheSameChecksums() throws SQLException {
        var file = Fixtures.fromScript(BEFORE, dir, "v2.db");
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement()) {
            st.execute("DROP TABLE pipeline_runs");
            st.execute("DELETE FROM flyway_schema_history WHERE version = '3'");
        }
        try (var db = Pipescope.open(file)) {
            assertTrue(db.layouts().contains(Layout.RUN_HISTORY));
        }
        assertEquals(RECORDED_BEFORE, history(file));
    }
}
