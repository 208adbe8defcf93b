package dev.pipescope.ops;

import dev.pipescope.error.NoDatabaseFileException;

import dev.pipescope.sqlite.Migrations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.Pipescope;
import dev.pipescope.domain.Layout;
import dev.pipescope.domain.Pipeline;
import dev.pipescope.error.NotFoundException;
import dev.pipescope.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupsTest {
    @TempDir
    Path dir;

    @Test
    void backupIsAnIdenticalCopyWithTruthfulMetadata() {
        var file = OpsTesting.database(dir, "runs.db", 12);
        Backup backup;
        Set<Layout> layouts;
        try (var db = Pipescope.open(file)) {
            backup = Backups.of(db).create("before upgrade");
            layouts = db.layouts();
        }
        assertEquals(dir.resolve("backups"), backup.file().getParent());
        assertTrue(backup.name().matches("runs-\\d{8}T\\d{9}Z\\.db"), backup.name());
        var metadata = backup.metadata().orElseThrow();
        assertEquals("before upgrade", metadata.description());
        assertEquals(Fixtures.sha256(backup.file()), metadata.sha256());
        assertEquals(backup.file().toFile().length(), metadata.sizeBytes());
        assertEquals(Optional.of(Migrations.latestVersion()), metadata.schemaVersion());
        assertTrue(layouts.containsAll(Set.of(Layout.PIPESCOPE, Layout.ADAPTIVE_PIPELINE)));
        assertEquals(layouts, metadata.layouts());
        assertEquals(OpsTesting.rowCounts(file), metadata.rowCounts());
        assertEquals(12L, metadata.rowCounts().get("pipelines"));
        assertEquals(file.toAbsolutePath().toString(), metadata.sourceFile());
        assertEquals(OpsTesting.pipelineNames(file), OpsTesting.pipelineNames(backup.file()));
        assertTrue(Files.exists(backup.metadataFile()));

        var reread = Backups.forFile(file).list();
        assertEquals(1, reread.size());
        assertEquals(metadata, reread.get(0).metadata().orElseThrow());
        assertTrue(Backups.forFile(file).validate(reread.get(0)).ok());
    }

    @Test
    void backingUpAnUpstreamToolsFileNeverChangesIt() {
        for (var fixture : List.of("hyperpage.db", "dagger_cache.db", "etl_core.db", "adaptive_pipeline.db")) {
            var sub = dir.resolve(fixture + ".d");
            var file = Fixtures.copy(fixture, mkdirs(sub));
            var before = Fixtures.sha256(file);
            var backups = Backups.forFile(file);
            var backup = backups.create("upstream " + fixture);
            assertEquals(before, Fixtures.sha256(file), fixture + " changed by its backup");
            assertEquals(List.of(file.getFileName().toString()), list(sub), "no -wal/-shm left beside " + fixture);
            var validation = backups.validate(backup);
            assertTrue(validation.ok(), validation.summary());
            assertFalse(backup.metadata().orElseThrow().layouts().contains(Layout.PIPESCOPE));
            assertEquals(Optional.empty(), backup.metadata().orElseThrow().schemaVersion());
            assertEquals(OpsTesting.rowCounts(file), backup.metadata().orElseThrow().rowCounts());
        }
    }

    private static Path mkdirs(Path path) {
        try {
            return Files.createDirectories(path);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> list(Path folder) {
        try (var files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writers keep committing whole pipelines (each with its two checksum stages) while backups are taken; a
     * consistent snapshot never holds a pipeline without its stages, and its counts match its metadata.
     */
    @Test
    void backupWhileWritersCommitIsOneConsistentPointInTime() throws Exception {
        var file = OpsTesting.database(dir, "busy.db", 200);
        var stop = new AtomicBoolean();
        var failure = new AtomicReference<Throwable>();
        var written = new AtomicInteger();
        var started = new CountDownLatch(2);
        var writers = new ArrayList<Thread>();
        try (var writerDb = Pipescope.open(file); var otherWriterDb = Pipescope.open(file)) {
            for (var db : List.of(writerDb, otherWriterDb)) {
                int id = writers.size();
                var thread = new Thread(() -> {
                    started.countDown();
                    try {
                        for (int i = 0; !stop.get(); i++) {
                            db.pipelines().save(Pipeline.builder("w" + id + "-" + i).config("k", "v").build());
                            written.incrementAndGet();
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                });
                writers.add(thread);
                thread.start();
            }
            started.await();
            var backups = Backups.forFile(file);
            var taken = new ArrayList<Backup>();
            while (written.get() < 50) {
                Thread.sleep(5);
            }
            for (int i = 0; i < 3; i++) {
                taken.add(backups.create("under load " + i));
            }
            stop.set(true);
            for (var thread : writers) {
                thread.join();
            }
            if (failure.get() != null) {
                throw new AssertionError("writer failed", failure.get());
            }
            assertTrue(written.get() > 50, "writers committed " + written.get());
            long previous = 0;
            for (var backup : taken) {
                var validation = backups.validate(backup);
                assertTrue(validation.ok(), validation.summary());
                long pipelines = OpsTesting.count(backup.file(), "pipelines");
                assertEquals(2 * pipelines, OpsTesting.count(backup.file(), "pipeline_stages"),
                        "a pipeline without its stages: not one point in time");
                assertEquals(pipelines, OpsTesting.count(backup.file(), "pipeline_configuration"));
                assertEquals(OpsTesting.rowCounts(backup.file()), backup.metadata().orElseThrow().rowCounts());
                assertTrue(pipelines >= previous, "backups taken in order see growing data");
                previous = pipelines;
            }
            assertTrue(previous > 200, "the backups saw the writers' work");
        }
    }

    @Test
    void backupReadsCommittedWalContentWithoutCheckpointingIt() throws IOException {
        var file = OpsTesting.database(dir, "wal.db", 2);
        try (var db = Pipescope.open(file)) {
            db.pipelines().save(Pipeline.builder("only-in-the-wal").build());
            var wal = dir.resolve("wal.db-wal");
            assertTrue(Files.size(wal) > 0, "the new pipeline sits in the WAL");
            var mainBefore = Fixtures.sha256(file);
            var walBefore = Fixtures.sha256(wal);
            var backup = Backups.forFile(file).create("with WAL content");
            assertEquals(mainBefore, Fixtures.sha256(file), "the backup must not checkpoint into the source");
            assertEquals(walBefore, Fixtures.sha256(wal));
            assertTrue(OpsTesting.pipelineNames(backup.file()).contains("only-in-the-wal"));
            assertEquals(3L, backup.metadata().orElseThrow().rowCounts().get("pipelines"));
        }
    }

    @Test
    void backingUpSomethingThatIsNotADatabaseIsRefusedAndLeavesNothing() throws IOException {
        var text = Files.writeString(dir.resolve("notes.db"), "not a database at all ".repeat(100));
        var error = assertThrows(dev.pipescope.error.NotASqliteFileException.class,
                () -> Backups.forFile(text).create("x"));
        assertTrue(error.getMessage().contains("notes.db"), error.getMessage());
        assertFalse(Files.exists(dir.resolve("backups")) && list(dir.resolve("backups")).size() > 0);
    }

    @Test
    void listIsNewestFirstAndShowsBackupsWithoutMetadata() throws IOException {
        var file = OpsTesting.database(dir, "a.db", 1);
        OpsTesting.database(dir, "a-other.db", 1);
        var clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        var backups = Backups.forFile(file).withClock(clock);
        var first = backups.create("first");
        clock.advance(Duration.ofHours(1));
        var second = backups.create("second");
        clock.advance(Duration.ofHours(1));
        var third = backups.create("third");
        Backups.forFile(dir.resolve("a-other.db")).create("another database's backup");
        Files.delete(second.metadataFile());

        var listed = backups.list();
        assertEquals(List.of(third.name(), second.name(), first.name()),
                listed.stream().map(Backup::name).toList());
        assertEquals("third", listed.get(0).description());
        assertTrue(listed.get(1).metadata().isEmpty());
        assertTrue(listed.get(1).metadataProblem().orElseThrow().contains("missing"));
        assertEquals(third.name(), backups.latest().orElseThrow().name());
        assertEquals(first.file(), backups.find(first.name()).orElseThrow().file());
        assertEquals(first.file(), backups.get(first.name()).file());
        assertEquals(Optional.empty(), backups.find("nope.db"));
        var missing = assertThrows(NotFoundException.class, () -> backups.get("nope.db"));
        assertTrue(missing.getMessage().contains("nope.db"), missing.getMessage());
    }

    @Test
    void backupsGoWhereConfigured() {
        var file = OpsTesting.database(dir, "c.db", 1);
        var elsewhere = dir.resolve("elsewhere/deeper");
        try (var db = Pipescope.open(file)) {
            var backup = Backups.of(db).in(elsewhere).create("x");
            assertEquals(elsewhere, backup.file().getParent());
            assertEquals(1, Backups.of(db).in(elsewhere).list().size());
            assertEquals(0, Backups.of(db).list().size());
        }
    }

    @Test
    void backingUpAMissingFileIsRefused() {
        var error = assertThrows(NotFoundException.class, () -> Backups.forFile(dir.resolve("none.db")).create("x"));
        assertTrue(error.getMessage().contains("none.db"), error.getMessage());
        assertFalse(Files.exists(dir.resolve("backups")));
    }

    @Test
    void pruneKeepsTheLastNAndTheRecentOnes() {
        var file = OpsTesting.database(dir, "p.db", 1);
        var clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        var backups = Backups.forFile(file).withClock(clock);
        var made = new ArrayList<Backup>();
        for (int i = 0; i < 6; i++) {
            made.add(backups.create("day " + i));
            clock.advance(Duration.ofDays(1));
        }
        // now = day 6; backups are 6,5,4,3,2,1 days old
        var byAge = backups.expired(RetentionPolicy.newerThan(Duration.ofDays(3).plusHours(12)));
        assertEquals(List.of(made.get(2).name(), made.get(1).name(), made.get(0).name()),
                byAge.stream().map(Backup::name).toList());
        var both = backups.expired(RetentionPolicy.keepLastAndNewerThan(4, Duration.ofDays(2).plusHours(12)));
        assertEquals(List.of(made.get(1).name(), made.get(0).name()), both.stream().map(Backup::name).toList());

        var removed = backups.prune(RetentionPolicy.keepLast(2));
        assertEquals(4, removed.size());
        assertEquals(List.of(made.get(5).name(), made.get(4).name()), backups.list().stream().map(Backup::name).toList());
        for (var gone : removed) {
            assertFalse(Files.exists(gone.file()));
            assertFalse(Files.exists(gone.metadataFile()));
        }
        assertThrows(dev.pipescope.error.InvalidArgumentException.class,
                () -> new RetentionPolicy(Optional.empty(), Optional.empty()));
        assertThrows(dev.pipescope.error.InvalidArgumentException.class, () -> RetentionPolicy.keepLast(0));
    }

    @Test
    void aDatabaseWithoutAFileHasNoBackups() {
        try (var db = Pipescope.inMemory()) {
            var error = assertThrows(NoDatabaseFileException.class, () -> Backups.of(db));
            assertTrue(error.getMessage().contains("no file"), error.getMessage());
        }
    }

    @Test
    void aServerDatabaseHasNoFileBackupsAndSaysWhichItIs() {
        var target = dev.pipescope.testing.PostgresServer.get().newPipescopeDatabase("backups");
        try (var db = Pipescope.open(target)) {
            var error = assertThrows(NoDatabaseFileException.class, () -> Backups.of(db));
            assertTrue(error.getMessage().contains(target.location()) && error.getMessage().contains("server"),
                    error.getMessage());
            var info = assertThrows(NoDatabaseFileException.class, () -> DatabaseInfo.of(db));
            assertTrue(info.getMessage().contains(target.location()), info.getMessage());
        }
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
