package dev.pipescope.store;

import dev.pipescope.sqlite.Migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.Pipescope;
import dev.pipescope.domain.Layout;
import dev.pipescope.domain.Pipeline;
import dev.pipescope.error.LayoutNotPresentException;
import dev.pipescope.error.NotASqliteFileException;
import dev.pipescope.error.NotFoundException;
import dev.pipescope.error.PipescopeException;
import dev.pipescope.error.ReadOnlyViolationException;
import dev.pipescope.error.UnknownSchemaException;
import dev.pipescope.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening files: new, Pipescope's own, read-only, and every kind of bad file, which stays untouched. */
class OpenDatabaseTest {
    @TempDir
    Path dir;

    private static void sql(Path file, String... statements) throws SQLException {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement()) {
            for (var s : statements) {
                st.execute(s);
            }
        }
    }

    private static String pragma(Path file, String pragma) throws SQLException {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement();
             var rs = st.executeQuery("PRAGMA " + pragma)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Test
    void aNewFileIsCreatedMigratedAndInWalMode() throws SQLException {
        var file = dir.resolve("new.db");
        try (var db = Pipescope.open(file)) {
            assertEquals(java.util.Optional.of(file.toAbsolutePath()), db.path());
            assertTrue(db.layouts().contains(Layout.PIPESCOPE));
            assertTrue(db.layouts().contains(Layout.ADAPTIVE_PIPELINE));
            assertFalse(db.readOnly());
        }
        assertEquals("wal", pragma(file, "journal_mode"));
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement();
             var rs = st.executeQuery("SELECT max(version) FROM flyway_schema_history")) {
            assertTrue(rs.next());
            assertEquals(Integer.toString(Migrations.latestVersion()), rs.getString(1));
        }
    }

    @Test
    void reopeningACurrentDatabaseKeepsItsData() {
        var file = dir.resolve("again.db");
        var p = Pipeline.builder("kept").build();
        try (var db = Pipescope.open(file)) {
            db.pipelines().save(p);
        }
        try (var db = Pipescope.open(file)) {
            assertEquals(p, db.pipelines().findById(p.id()).orElseThrow());
        }
    }

    @Test
    void readOnlyRefusesEveryWriteWithATypedErrorAndLeavesTheFileAlone() {
        var copy = Fixtures.copy("adaptive_pipeline.db", dir);
        var hash = Fixtures.sha256(copy);
        try (var db = Pipescope.openReadOnly(copy)) {
            assertTrue(db.readOnly());
            var p = db.pipelines().findByName("compress-logs").orElseThrow();
            var e = assertThrows(ReadOnlyViolationException.class, () -> db.pipelines().save(Pipeline.builder("x").build()));
            assertTrue(e.getMessage().contains(copy.toString()), e.getMessage());
            assertThrows(ReadOnlyViolationException.class, () -> db.pipelines().archive(p.id()));
            assertThrows(ReadOnlyViolationException.class, () -> db.pipelines().delete(p.id()));
            assertThrows(ReadOnlyViolationException.class, () -> db.metrics().delete(p.id()));
        }
        assertEquals(hash, Fixtures.sha256(copy));
    }

    @Test
    void readOnlyConnectionsRefuseWritesEvenThroughRawSql() {
        var copy = Fixtures.copy("adaptive_pipeline.db", dir);
        var hash = Fixtures.sha256(copy);
        try (var db = (SqliteDatabase) Pipescope.openReadOnly(copy)) {
            var e = assertThrows(PipescopeException.class, () -> db.connections().read("sneak a write",
                    h -> h.createUpdate("DELETE FROM pipelines").execute()));
            assertTrue(e instanceof ReadOnlyViolationException || e.getMessage().contains("readonly")
                    || e.getMessage().contains("query_only") || e.getMessage().contains("read-only"), e.getMessage());
        }
        assertEquals(hash, Fixtures.sha256(copy));
    }

    @Test
    void readOnlyOfAMissingFileIsNotFound() {
        var missing = dir.resolve("missing.db");
        var e = assertThrows(NotFoundException.class, () -> Pipescope.openReadOnly(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertFalse(Files.exists(missing));
    }

    @Test
    void aFileInAMissingDirectoryIsNotFound() {
        var file = dir.resolve("no/such/dir/x.db");
        assertThrows(NotFoundException.class, () -> Pipescope.open(file));
    }

    @Test
    void aTextFileIsNotASqliteFileAndStaysUntouched() throws IOException {
        var file = dir.resolve("notes.db");
        Files.writeString(file, "this is not a database, just some notes that are long enough".repeat(4));
        var hash = Fixtures.sha256(file);
        for (var mode : new boolean[] {true, false}) {
            var e = assertThrows(NotASqliteFileException.class,
                    () -> (mode ? Pipescope.openReadOnly(file) : Pipescope.open(file)).close());
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("this is not a da"), e.getMessage());
        }
        assertEquals(hash, Fixtures.sha256(file));
    }

    @Test
    void anEmptyFileIsRefusedReadOnly() throws IOException {
        var file = Files.createFile(dir.resolve("empty.db"));
        var e = assertThrows(NotASqliteFileException.class, () -> Pipescope.openReadOnly(file));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        assertEquals(0, Files.size(file));
    }

    @Test
    void aTruncatedFileIsRefusedAndStaysUntouched() throws IOException {
        var source = Fixtures.file("adaptive_pipeline.db");
        var file = dir.resolve("truncated.db");
        Files.write(file, Arrays.copyOf(Files.readAllBytes(source), 60));
        var hash = Fixtures.sha256(file);
        var e = assertThrows(NotASqliteFileException.class, () -> Pipescope.open(file));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertEquals(hash, Fixtures.sha256(file));
    }

    @Test
    void aDirectoryIsNotADatabase() {
        assertThrows(NotASqliteFileException.class, () -> Pipescope.open(dir));
    }

    @Test
    void aDatabaseFromANewerPipescopeIsRefusedUntouched() throws SQLException {
        var file = dir.resolve("future.db");
        Pipescope.open(file).close();
        int future = Migrations.latestVersion() + 7;
        sql(file, "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, "
                + "installed_by, execution_time, success) VALUES (99, '" + future + "', 'from the future', 'SQL', "
                + "'V" + future + "__future.sql', 0, 'someone', 1, 1)");
        var hash = Fixtures.sha256(file);
        for (var readOnly : new boolean[] {true, false}) {
            var e = assertThrows(UnknownSchemaException.class,
                    () -> (readOnly ? Pipescope.openReadOnly(file) : Pipescope.open(file)).close());
            assertTrue(e.getMessage().contains("version " + future), e.getMessage());
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        }
        assertEquals(hash, Fixtures.sha256(file));
    }

    @Test
    void anUnknownLayoutIsRefusedUntouchedAndNamesItsTables() throws SQLException {
        var file = dir.resolve("other-app.db");
        sql(file, "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT)",
                "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER)");
        var hash = Fixtures.sha256(file);
        for (var readOnly : new boolean[] {true, false}) {
            var e = assertThrows(UnknownSchemaException.class,
                    () -> (readOnly ? Pipescope.openReadOnly(file) : Pipescope.open(file)).close());
            assertTrue(e.getMessage().contains("customers") && e.getMessage().contains("orders"), e.getMessage());
        }
        assertEquals(hash, Fixtures.sha256(file));
    }

    @Test
    void aTableOfOursInAnotherLayoutIsLeftAloneAndNotTakenForOurs() throws SQLException, IOException {
        var file = dir.resolve("clash.db");
        Fixtures.copy("hyperpage.db", dir);
        Files.copy(dir.resolve("hyperpage.db"), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        sql(file, "CREATE TABLE pipelines (id TEXT PRIMARY KEY, title TEXT)");
        var hash = Fixtures.sha256(file);
        try (var db = Pipescope.open(file)) {
            assertEquals(java.util.Set.of(Layout.HYPERPAGE), db.layouts());
            var e = assertThrows(LayoutNotPresentException.class, db::pipelines);
            assertTrue(e.getMessage().contains("adaptive pipeline"), e.getMessage());
        }
        assertEquals(hash, Fixtures.sha256(file));
    }

    @Test
    void aPipescopeFileWhoseTableHasAnotherShapeIsRefusedBeforeMigrating() throws SQLException {
        var file = dir.resolve("ours.db");
        sql(file, "CREATE TABLE flyway_schema_history (installed_rank INT, version TEXT, success BOOLEAN)");
        sql(file, "CREATE TABLE pipelines (id TEXT PRIMARY KEY, title TEXT)");
        var hash = Fixtures.sha256(file);
        var e = assertThrows(UnknownSchemaException.class, () -> Pipescope.open(file));
        assertTrue(e.getMessage().contains("pipelines lacks columns"), e.getMessage());
        assertEquals(hash, Fixtures.sha256(file));
    }

    @Test
    void aFileWithoutPipelineTablesSaysSoWhenAskedForPipelines() {
        var copy = Fixtures.copy("hyperpage.db", dir);
        try (var db = Pipescope.openReadOnly(copy)) {
            assertTrue(db.layouts().contains(Layout.HYPERPAGE));
            var e = assertThrows(LayoutNotPresentException.class, db::pipelines);
            assertTrue(e.getMessage().contains(copy.toString()), e.getMessage());
        }
    }

    @Test
    void kindsNameEveryFixturesLayout() {
        try (var a = Pipescope.openReadOnly(Fixtures.file("dagger_cache.db"));
             var b = Pipescope.openReadOnly(Fixtures.file("dagger_cache_legacy.db"));
             var c = Pipescope.openReadOnly(Fixtures.file("etl_core.db"))) {
            assertTrue(a.layouts().contains(Layout.DAGGER));
            assertTrue(b.layouts().contains(Layout.DAGGER));
            assertTrue(c.layouts().contains(Layout.ETL));
        }
    }

    @Test
    void closedDatabasesSaySo() {
        var db = Pipescope.open(dir.resolve("closed.db"));
        db.close();
        var e = assertThrows(PipescopeException.class, () -> db.pipelines().count());
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    /** Makes {@code dir} unwritable even for root (tests run as root here), runs {@code body}, then undoes it. */
    private static void withReadOnlyDirectory(Path dir, ThrowingRunnable body) throws Exception {
        var lock = new ProcessBuilder("chattr", "+i", dir.toString()).inheritIO().start().waitFor();
        org.junit.jupiter.api.Assumptions.assumeTrue(lock == 0, "chattr +i is needed to make a directory read-only");
        try {
            assertFalse(Files.isWritable(dir), "the directory is read-only");
            body.run();
        } finally {
            new ProcessBuilder("chattr", "-i", dir.toString()).inheritIO().start().waitFor();
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void aWalFileOnReadOnlyMediaWithoutItsLogIsReadInPlace() throws Exception {
        var media = Files.createDirectories(dir.resolve("media"));
        var file = media.resolve("copied.db");
        try (var db = Pipescope.open(file)) {
            db.pipelines().save(Pipeline.builder("on-media").build());
        }
        assertFalse(Files.exists(Path.of(file + "-wal")), "closing checkpointed the log away");
        var hash = Fixtures.sha256(file);
        withReadOnlyDirectory(media, () -> {
            try (var db = Pipescope.openReadOnly(file)) {
                assertEquals("on-media", db.pipelines().listActive().get(0).name());
                assertTrue(db.layouts().contains(Layout.ADAPTIVE_PIPELINE));
            }
        });
        assertEquals(hash, Fixtures.sha256(file));
        try (var names = Files.list(media)) {
            assertEquals(java.util.List.of("copied.db"), names.map(f -> f.getFileName().toString()).toList());
        }
    }

    @Test
    void aWalFileOnReadOnlyMediaWhoseLogHoldsRowsSaysWhatIsWrong() throws Exception {
        var live = dir.resolve("live.db");
        var media = Files.createDirectories(dir.resolve("media"));
        try (var db = Pipescope.open(live)) {
            db.pipelines().save(Pipeline.builder("first").build());
        }
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + live); var st = c.createStatement()) {
            st.execute("PRAGMA wal_autocheckpoint = 0");
            st.execute("UPDATE pipelines SET name = 'only-in-the-log'");
            // copied while the log still holds the change, without its -shm index: a mounted or copied set
            Files.copy(live, media.resolve("live.db"));
            Files.copy(Path.of(live + "-wal"), media.resolve("live.db-wal"));
        }
        var file = media.resolve("live.db");
        withReadOnlyDirectory(media, () -> {
            var e = assertThrows(PipescopeException.class, () -> Pipescope.openReadOnly(file));
            assertTrue(e.getMessage().contains("read-only") && e.getMessage().contains("-wal"), e.getMessage());
            assertFalse(e instanceof ReadOnlyViolationException, "nothing was written: " + e);
        });
    }
}
