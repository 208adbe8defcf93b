package dev.pipescope.ops;

import dev.pipescope.error.InvalidBackupException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipescope.Pipescope;
import dev.pipescope.domain.Pipeline;
import dev.pipescope.error.DatabaseBusyException;
import dev.pipescope.error.NotASqliteFileException;
import dev.pipescope.error.NotFoundException;
import dev.pipescope.error.ReadOnlyViolationException;
import dev.pipescope.testing.Fixtures;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestoreTest {
    @TempDir
    Path dir;

    @Test
    void restoreRoundTripsTheBackedUpContent() {
        var file = OpsTesting.database(dir, "live.db", 5);
        var before = OpsTesting.pipelineNames(file);
        Backup backup;
        try (var db = Pipescope.open(file)) {
            backup = Backups.of(db).create("five pipelines");
            db.pipelines().save(Pipeline.builder("added-later").build());
            db.pipelines().delete(db.pipelines().findByName("p0").orElseThrow().id());
        }
        var changed = OpsTesting.pipelineNames(file);
        var db = Pipescope.open(file);
        var result = Backups.of(db).restore(backup);

        assertThrows(dev.pipescope.error.StorageException.class, () -> db.pipelines().count(),
                "the database a restore came from is closed");
        assertEquals(OpsTesting.contents(backup.file()), OpsTesting.contents(file), "the file holds what the backup holds");
        assertEquals("wal", OpsTesting.strings(file, "PRAGMA journal_mode").get(0), "back in the journal mode it was found in");
        assertEquals(List.of("ok"), OpsTesting.strings(file, "PRAGMA integrity_check"));
        assertEquals(before, OpsTesting.pipelineNames(file));
        var safety = result.safetyBackup().orElseThrow();
        assertEquals(changed, OpsTesting.pipelineNames(safety.file()), "the safety backup holds what was replaced");
        assertTrue(Backups.forFile(file).validate(safety).ok());
        assertFalse(Files.exists(dir.resolve(".live.db.restoring")));
        try (var reopened = result.reopen()) {
            assertEquals(5, reopened.pipelines().count());
            assertTrue(reopened.pipelines().findByName("added-later").isEmpty());
            reopened.pipelines().save(Pipeline.builder("after-restore").build());
        }
        assertTrue(OpsTesting.pipelineNames(file).contains("after-restore"));
    }

    @Test
    void theSafetyBackupHoldsAndDescribesExactlyTheReplacedContent() {
        var file = OpsTesting.database(dir, "described.db", 3);
        var backups = Backups.forFile(file);
        var backup = backups.create("three");
        try (var db = Pipescope.open(file)) {
            db.pipelines().save(Pipeline.builder("added-later").config("k", "v").build());
        }
        var replaced = OpsTesting.contents(file);
        var replacedCounts = OpsTesting.rowCounts(file);

        var safety = backups.restore(backup).safetyBackup().orElseThrow();

        var recorded = safety.metadata().orElseThrow();
        assertEquals(replaced, OpsTesting.contents(safety.file()), "every row that was replaced is in the safety copy");
        assertEquals(Fixtures.sha256(safety.file()), recorded.sha256(), "the recorded checksum is the file's");
        assertEquals(OpsTesting.size(safety.file()), recorded.sizeBytes());
        assertEquals(replacedCounts, recorded.rowCounts(), "row counts of the replaced content, not the restored");
        assertEquals(List.of("ok"), recorded.quickCheck());
        assertEquals(backup.metadata().orElseThrow().layouts(), recorded.layouts());
        assertTrue(recorded.description().contains(backup.name()), recorded.description());
        assertEquals(OpsTesting.contents(backup.file()), OpsTesting.contents(file));
    }

    @Test
    void aProgressThatFailsDuringValidationStopsTheRestoreWithItsOwnError() {
        var file = OpsTesting.database(dir, "stopped.db", 2);
        var backups = Backups.forFile(file);
        var backup = backups.create("two");
        try (var db = Pipescope.open(file)) {
            db.pipelines().save(Pipeline.builder("kept").build());
        }
        var before = OpsTesting.contents(file);
        var stop = new IllegalStateException("stopped by the caller");
        Progress stopping = (phase, done, total) -> {
            if (phase.equals("checksum") && done > 0) {
                throw stop;
            }
        };
        var thrown = assertThrows(IllegalStateException.class,
                () -> backups.restore(backup, RestoreOptions.DEFAULT, stopping));
        assertTrue(thrown == stop, "the caller's exception, not a wrapped or swallowed one: " + thrown);
        assertEquals(before, OpsTesting.contents(file), "nothing was restored");
        assertEquals(List.of(backup.file()), backups.list().stream().map(Backup::file).toList(), "no safety copy");
    }

    @Test
    void restoreOfAnUpstreamFileNeedsNoPipescopeSchema() {
        var file = Fixtures.copy("etl_core.db", dir);
        var backups = Backups.forFile(file);
        var backup = backups.create("etl");
        var jobs = OpsTesting.strings(file, "SELECT id FROM jobtable ORDER BY id");
        execute(file, "DELETE FROM executionattempttable");
        execute(file, "DELETE FROM executiontable");
        execute(file, "DELETE FROM componenttable");
        execute(file, "DELETE FROM jobtable");
        var result = backups.restore(backup);
        assertEquals(jobs, OpsTesting.strings(file, "SELECT id FROM jobtable ORDER BY id"));
        assertEquals(OpsTesting.contents(backup.file()), OpsTesting.contents(file));
        assertEquals(OpsTesting.rowCounts(Fixtures.file("etl_core.db")), OpsTesting.rowCounts(file));
        var everyAttempt = "SELECT id || '|' || execution_id || '|' || attempt_index || '|' || status"
                + " FROM executionattempttable ORDER BY id";
        assertEquals(OpsTesting.strings(Fixtures.file("etl_core.db"), everyAttempt), OpsTesting.strings(file, everyAttempt));
        assertTrue(result.safetyBackup().isPresent());
        assertTrue(OpsTesting.strings(file, "SELECT name FROM sqlite_master WHERE name LIKE 'flyway%'").isEmpty());
    }

    @Test
    void aLiveFileThatIsNotADatabaseNeedsForceThenIsKeptAsideAndReplaced() throws IOException {
        var file = OpsTesting.database(dir, "broken.db", 3);
        var backups = Backups.forFile(file);
        var backup = backups.create("good");
        Files.writeString(file, "overwritten by accident ".repeat(500));
        for (var suffix : List.of("-wal", "-shm")) {
            Files.deleteIfExists(dir.resolve("broken.db" + suffix));
        }
        var damaged = Files.readString(file);
        var refused = assertThrows(NotASqliteFileException.class, () -> backups.restore(backup));
        assertTrue(refused.getMessage().contains("not a SQLite database"), refused.getMessage());
        assertTrue(refused.getMessage().contains("--force"), refused.getMessage());
        assertEquals(damaged, Files.readString(file), "refused without --force: the file is untouched");
        assertEquals(List.of(), damagedFiles(), "nothing was moved aside");

        var result = backups.restore(backup, RestoreOptions.DEFAULT.forced(), Progress.NONE);
        assertEquals(3, OpsTesting.count(file, "pipelines"));
        var kept = result.damagedFileKept().orElseThrow();
        assertEquals(damaged, Files.readString(kept), "the unreadable file is kept, not deleted");
        assertTrue(result.safetyBackup().isEmpty());
    }

    @Test
    void randomBytesAndACorruptSchemaNeedForceToo() throws IOException {
        var file = OpsTesting.database(dir, "odd.db", 2);
        var backups = Backups.forFile(file);
        var backup = backups.create("good");
        var random = new byte[64 * 1024];
        new java.util.Random(7).nextBytes(random);
        Files.write(file, random);
        assertThrows(NotASqliteFileException.class, () -> backups.restore(backup));
        assertArrayEquals(random, Files.readAllBytes(file));

        var corrupt = OpsTesting.database(dir, "schema.db", 2);
        var corruptBackup = Backups.forFile(corrupt).create("good");
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + corrupt); var st = c.createStatement()) {
            st.execute("PRAGMA journal_mode = DELETE");
            st.execute("PRAGMA writable_schema = ON");
            st.execute("UPDATE sqlite_master SET sql = 'CREATE TABLE pipelines (' WHERE name = 'pipelines'");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        var before = Fixtures.sha256(corrupt);
        var error = assertThrows(NotASqliteFileException.class, () -> Backups.forFile(corrupt).restore(corruptBackup));
        assertTrue(error.getMessage().contains("schema is corrupt") || error.getMessage().contains("malformed"),
                error.getMessage());
        assertEquals(before, Fixtures.sha256(corrupt));
        Backups.forFile(corrupt).restore(corruptBackup, RestoreOptions.DEFAULT.forced(), Progress.NONE);
        assertEquals(List.of("p0", "p1"), OpsTesting.pipelineNames(corrupt));
    }

    @Test
    void restoringWhenTheFileIsGoneRecreatesItOnlyWhenAsked() throws IOException {
        var file = OpsTesting.database(dir, "gone.db", 2);
        var backups = Backups.forFile(file);
        var backup = backups.create("two");
        Files.delete(file);
        for (var suffix : List.of("-wal", "-shm")) {
            Files.deleteIfExists(dir.resolve("gone.db" + suffix));
        }
        var error = assertThrows(NotFoundException.class, () -> backups.restore(backup));
        assertTrue(error.getMessage().contains("--create"), error.getMessage());
        assertFalse(Files.exists(file));
        backups.restore(backup, RestoreOptions.DEFAULT.creatingMissing(), Progress.NONE);
        assertEquals(List.of("p0", "p1"), OpsTesting.pipelineNames(file));
    }

    @Test
    void aDirectoryIsNeverReplaced() throws IOException {
        var file = OpsTesting.database(dir, "real.db", 1);
        var backup = Backups.forFile(file).create("one");
        var folder = Files.createDirectories(dir.resolve("folder.db"));
        Files.writeString(folder.resolve("inside.txt"), "keep me");
        var error = assertThrows(NotASqliteFileException.class,
                () -> Backups.forFile(folder).restore(backup, RestoreOptions.DEFAULT.forced().creatingMissing(),
                        Progress.NONE));
        assertTrue(error.getMessage().contains("directory"), error.getMessage());
        assertTrue(Files.isDirectory(folder));
        assertEquals("keep me", Files.readString(folder.resolve("inside.txt")));
        assertEquals(List.of(), damagedFiles());
    }

    @Test
    void throughASymbolicLinkTheTargetIsRestoredAndTheLinkStays() throws IOException {
        var data = Files.createDirectories(dir.resolve("data"));
        var real = OpsTesting.database(data, "real.db", 4);
        var link = Files.createSymbolicLink(dir.resolve("link.db"), Path.of("data", "real.db"));
        var backups = Backups.forFile(link);
        var backup = backups.create("four");
        execute(real, "DELETE FROM pipelines WHERE name = 'p0'");
        var result = backups.restore(backup);
        assertTrue(Files.isSymbolicLink(link), "the link is still a link");
        assertEquals(Path.of("data", "real.db"), Files.readSymbolicLink(link));
        assertEquals(List.of("p0", "p1", "p2", "p3"), OpsTesting.pipelineNames(real));
        assertEquals(List.of("p1", "p2", "p3"), OpsTesting.pipelineNames(result.safetyBackup().orElseThrow().file()));
    }

    private List<Path> damagedFiles() throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().contains(".damaged-")).toList();
        }
    }

    @Test
    void backupFromANewerPipescopeIsRefused() throws IOException {
        var newer = Files.createDirectories(dir.resolve("newer"));
        var future = OpsTesting.database(newer, "mine.db", 1);
        execute(future, "INSERT INTO flyway_schema_history(installed_rank, version, description, type, script, "
                + "installed_by, execution_time, success) VALUES (99, '99', 'from the future', 'SQL', 'V99__x.sql', "
                + "'test', 1, 1)");
        var backup = Backups.forFile(future).create("schema 99");
        var file = OpsTesting.database(dir, "mine.db", 1);
        var hash = Fixtures.sha256(file);
        var error = assertThrows(InvalidBackupException.class, () -> Backups.forFile(file).restore(backup));
        assertEquals(List.of("schema"), error.failedChecks());
        assertTrue(error.getMessage().contains("schema version 99 is newer"), error.getMessage());
        assertEquals(hash, Fixtures.sha256(file));
    }

    private static void execute(Path file, String sql) {
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement()) {
            st.execute(sql);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void restoreIsRefusedWhileAnotherConnectionHasTheFileOpen() {
        var file = OpsTesting.database(dir, "shared.db", 3);
        var backup = Backups.forFile(file).create("three");
        var hash = Fixtures.sha256(file);
        try (var other = Pipescope.open(file)) {
            assertEquals(3, other.pipelines().count());
            var db = Pipescope.open(file);
            var error = assertThrows(DatabaseBusyException.class, () -> Backups.of(db).restore(backup));
            assertTrue(error.getMessage().contains(file.toString()), error.getMessage());
            assertTrue(error.getMessage().contains("another connection"), error.getMessage());
            assertEquals(3, other.pipelines().count(), "the other connection still works");
        }
        assertEquals(hash, Fixtures.sha256(file), "the refused restore left the file as it was");
        assertEquals("wal", OpsTesting.strings(file, "PRAGMA journal_mode").get(0));
        assertEquals(1, Backups.forFile(file).list().size(), "no safety backup for a refused restore");
    }

    @Test
    void aReadOnlyDatabaseCannotBeRestored() {
        var file = OpsTesting.database(dir, "ro.db", 1);
        var backup = Backups.forFile(file).create("x");
        try (var db = Pipescope.openReadOnly(file)) {
            assertThrows(ReadOnlyViolationException.class, () -> Backups.of(db).restore(backup));
            assertEquals(1, db.pipelines().count());
        }
    }

    @Test
    void truncatedBackupIsRefused() {
        assertRefused(b -> truncate(b.file(), b.metadata().orElseThrow().sizeBytes() / 2),
                List.of("size", "sha256", "integrity"));
    }

    @Test
    void corruptedBackupIsRefused() {
        // page 2 onward is table content; scribbling over it breaks the checksum and the b-tree
        assertRefused(b -> scribble(b.file(), 4096, 4096), List.of("sha256", "integrity"));
    }

    @Test
    void wrongChecksumInMetadataIsRefused() {
        assertRefused(b -> editMetadata(b, json -> json.put("sha256", "0".repeat(64))), List.of("sha256"));
    }

    @Test
    void missingMetadataIsRefused() {
        assertRefused(b -> delete(b.metadataFile()), List.of("metadata"));
    }

    @Test
    void garbageInsteadOfABackupIsRefused() {
        assertRefused(b -> write(b.file(), "this is not a database, just text".repeat(200)),
                List.of("size", "sha256", "integrity"));
    }

    @Test
    void backupOfAnotherKindOfDatabaseIsRefused() throws IOException {
        var file = OpsTesting.database(dir, "mine.db", 4);
        var foreignDir = Files.createDirectories(dir.resolve("foreign"));
        var foreign = Backups.forFile(Fixtures.copy("hyperpage.db", foreignDir)).create("hyperpage");
        var hash = Fixtures.sha256(file);
        try (var db = Pipescope.open(file)) {
            var error = assertThrows(InvalidBackupException.class, () -> Backups.of(db).restore(foreign));
            assertTrue(error.getMessage().contains("HYPERPAGE"), error.getMessage());
            assertTrue(error.getMessage().contains("another kind of database"), error.getMessage());
            assertEquals(4, db.pipelines().count(), "a refused restore leaves the database open and usable");
        }
        assertEquals(hash, Fixtures.sha256(file));
    }

    @Test
    void metadataClaimingAnotherSchemaIsRefused() {
        assertRefused(b -> editMetadata(b, json -> json.put("schemaVersion", 99)), List.of("schema"));
    }

    /** Damages a fresh backup, then checks validation names exactly those checks and restore changes nothing. */
    private void assertRefused(Consumer<Backup> damage, List<String> failedChecks) {
        var file = OpsTesting.database(dir, "victim.db", 7);
        var backups = Backups.forFile(file);
        var original = backups.create("to be damaged");
        damage.accept(original);
        var backup = backups.read(original.file());
        var hash = Fixtures.sha256(file);

        var validation = backups.validate(backup);
        assertFalse(validation.ok());
        assertEquals(failedChecks, validation.failures().stream().map(ValidationResult.Check::name).toList(),
                validation.summary());
        try (var db = Pipescope.open(file)) {
            var error = assertThrows(InvalidBackupException.class, () -> Backups.of(db).restore(backup));
            assertTrue(error.getMessage().contains(backup.file().toString()), error.getMessage());
            assertEquals(failedChecks, error.failedChecks());
            assertEquals(7, db.pipelines().count());
        }
        assertEquals(hash, Fixtures.sha256(file), "the live database is untouched");
        assertEquals(1, backups.list().size(), "a refused restore takes no safety backup");
    }

    private static void truncate(Path file, long size) {
        try (var raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void scribble(Path file, long at, int length) {
        try (var raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(at);
            var bytes = new byte[length];
            java.util.Arrays.fill(bytes, (byte) 0x5A);
            raf.write(bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void editMetadata(Backup backup, Consumer<ObjectNode> edit) {
        var mapper = new ObjectMapper();
        try {
            var json = (ObjectNode) mapper.readTree(backup.metadataFile().toFile());
            edit.accept(json);
            mapper.writeValue(backup.metadataFile().toFile(), json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
