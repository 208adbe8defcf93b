package dev.pipescope.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipescope.ConnectionSettings;
import dev.pipescope.error.NotFoundException;
import dev.pipescope.error.StorageException;
import dev.pipescope.sqlite.SqliteErrors;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.sqlite.SQLiteConnection;

/**
 * Writes backups: a consistent copy into a hidden partial file, then sync, SHA-256 and row counts
 * (overlapping, on background threads), the metadata JSON, and only then the renames into place.
 */
final class BackupWriter {
    private static final long PROGRESS_EVERY_MS = 200;

    private final BackupLocation location;
    private final ConnectionSettings settings;
    private final ObjectMapper mapper = new ObjectMapper();

    BackupWriter(BackupLocation location, ConnectionSettings settings) {
        this.location = location;
        this.settings = settings;
    }

    /** See {@link Backups#create(String, Progress)}. */
    Backup create(String description, Progress progress) {
        var database = location.database();
        if (!Files.isRegularFile(database)) {
            throw new NotFoundException("no database file at " + database + " to back up");
        }
        // also fails early, with a clear error, on a file that is not a SQLite database
        long expectedBytes = databaseBytes("before backing it up");
        return write(description, progress, partial -> {
            copyWhole(partial, expectedBytes, progress);
            return describe(partial, progress);
        });
    }

    /**
     * The safety copy a restore takes of {@code liveFile} while {@code lock} holds it exclusively, out of WAL
     * (so the file's bytes are the whole database and cannot change): the bytes are copied, hashed and synced
     * in one pass while quick_check, the schema and the row counts are read through {@code lock} on a second
     * thread. Nothing in the file is written; the connection is left as it came.
     */
    Backup copyLocked(Connection lock, Path liveFile, String description, Progress progress) {
        return write(description, progress, partial -> {
            var reading = Background.start("pipescope-safety-check", () -> readContents(lock));
            String sha;
            try {
                sha = SqliteFiles.copyAndHash(liveFile, partial, progress, "safety copy");
            } catch (IOException | RuntimeException e) {
                reading.joinAfter(e);
                throw e;
            }
            return new Copied(sha, reading.join());
        });
    }

    /** What a copy step leaves: the SHA-256 of the partial file and what was read from its content. */
    private record Copied(String sha256, Contents contents) {}

    @FunctionalInterface
    private interface CopyInto {
        Copied copy(Path partial) throws SQLException, IOException;
    }

    /**
     * A copy taken by SQLite's backup API, then described: the fsync, the row counts and the hash overlap, so
     * on large files they take as long as the slowest.
     */
    private Copied describe(Path partial, Progress progress) throws SQLException, IOException {
        var syncing = Background.start("pipescope-backup-sync", () -> {
            sync(partial);
            return null;
        });
        var reading = Background.start("pipescope-backup-read", () -> readContents(partial));
        String sha;
        try {
            sha = SqliteFiles.sha256(partial, progress, "checksum");
        } catch (IOException | RuntimeException e) {
            reading.joinAfter(e);
            syncing.joinAfter(e);
            throw e;
        }
        var contents = reading.join();
        syncing.join();
        return new Copied(sha, contents);
    }

    private void copyWhole(Path partial, long expectedBytes, Progress progress) throws SQLException, IOException {
        // one backup step reports nothing until it ends, so progress follows the copy's size as it grows
        var watcher = Executors.newSingleThreadScheduledExecutor(daemon("pipescope-backup-progress"));
        try (var destination = SqliteFiles.scratch(partial)) {
            watcher.scheduleAtFixedRate(() -> {
                try {
                    progress.report("backup", Math.min(SqliteFiles.sizeOrZero(partial), expectedBytes), expectedBytes);
                } catch (IOException e) {
                    // a size we cannot read only skips one progress report; the copy reports its own failure
                }
            }, 0, PROGRESS_EVERY_MS, TimeUnit.MILLISECONDS);
            var sqlite = destination.unwrap(SQLiteConnection.class).getDatabase();
            checkResult(sqlite.restore("main", location.database().toString(), null, 100, 50, -1), partial);
        } finally {
            stop(watcher);
        }
        // a file-size limit can cut the copy short without SQLite's backup reporting it (the write error
        // surfaces only when the copy is read); shorter than the database both before and after the copy,
        // it was cut short, so the environment is to blame, not the database
        long copied = SqliteFiles.sizeOrZero(partial);
        if (copied < expectedBytes && copied < databaseBytes("after backing it up")) {
            throw EnvironmentFailures.full(partial, "the copy has " + copied + " of the database's " + expectedBytes
                    + " bytes", null);
        }
        progress.report("backup", expectedBytes, expectedBytes);
    }

    /** The database's size as SQLite sees it now (page count times page size); {@code when} names the moment in errors. */
    private long databaseBytes(String when) {
        var database = location.database();
        try (var source = SqliteFiles.readOnly(database, settings.busyTimeoutMs())) {
            return SqliteFiles.number(source, OpsSql.PAGE_COUNT) * SqliteFiles.number(source, OpsSql.PAGE_SIZE);
        } catch (SQLException e) {
            throw EnvironmentFailures.of(e, location.directory()).map(RuntimeException.class::cast).orElseGet(() ->
                    SqliteErrors.translate(e, database.toString(), "read " + database + " " + when));
        }
    }

    private void checkResult(int rc, Path partial) {
        var environment = EnvironmentFailures.ofResultCode(rc, partial);
        if (environment.isPresent()) {
            throw environment.get();
        }
        if (rc != 0) {
            throw new StorageException("SQLite's backup of " + location.database() + " into " + partial
                    + " failed with result code " + rc);
        }
    }

    /** What is read from the finished copy itself, so the metadata describes exactly the copy. */
    private record Contents(SqliteFiles.Schema schema, Map<String, Long> rowCounts, List<String> quickCheck) {}

    private Backup write(String description, Progress progress, CopyInto copyInto) {
        var directory = location.directory();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new StorageException("cannot create the backups folder " + directory + ": " + e.getMessage(), e);
        }
        var createdAt = location.clock().instant().truncatedTo(ChronoUnit.MILLIS);
        var target = location.freeName(createdAt);
        var metadataFile = Backup.metadataFileOf(target);
        var partial = Leftovers.partialOf(target);
        var partialMetadata = Leftovers.partialOf(metadataFile);
        try {
            var copied = copyInto.copy(partial);
            var contents = copied.contents();
            long size = Files.size(partial);
            var metadata = new BackupMetadata(createdAt, description == null ? "" : description,
                    PipescopeVersion.current(), contents.schema().version(), contents.schema().layouts(),
                    location.database().toString(), size, copied.sha256(), contents.rowCounts(), contents.quickCheck());
            try (var out = Files.newOutputStream(partialMetadata, StandardOpenOption.CREATE_NEW)) {
                mapper.writerWithDefaultPrettyPrinter().writeValue(out, metadata.toJson(mapper));
            }
            sync(partialMetadata);
            // metadata first: a kill between the renames leaves metadata whose backup is still a partial file,
            // which the next run removes, never a backup nobody can check
            FileReplace.move(partialMetadata, metadataFile);
            FileReplace.move(partial, target);
            return new Backup(target, Optional.of(metadata), Optional.empty(), createdAt);
        } catch (IOException | SQLException | RuntimeException e) {
            throw cleanUpAfter(failure(e, partial), partial, partialMetadata, metadataFile);
        }
    }

    /**
     * What a failed backup is reported as: the environment when it is to blame (a full device or a file-size
     * limit also shows as a copy shorter than its header says, which SQLite then calls corrupt), otherwise
     * the failure itself.
     */
    private RuntimeException failure(Exception e, Path partial) {
        var environment = EnvironmentFailures.of(e, location.directory());
        if (environment.isPresent()) {
            return environment.get();
        }
        if (Files.exists(partial) && EnvironmentFailures.cutShort(partial)) {
            return EnvironmentFailures.full(partial, "the copy is shorter than its header says", e);
        }
        if (e instanceof IOException) {
            return new StorageException("backing up " + location.database() + " into " + location.directory()
                    + " failed: " + e.getMessage(), e);
        }
        if (e instanceof SQLException) {
            return SqliteErrors.translate(e, location.database().toString(), "back up into " + location.directory());
        }
        return (RuntimeException) e;
    }

    private static void sync(Path file) throws IOException {
        try (var channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /**
     * Schema, quick_check and row counts of the copy. The copy is the source's pages as they were, so a
     * corrupt source page is a corrupt copy page: the backup is still kept (it may be the best copy there
     * is) with the problems recorded, and a table that cannot be counted is named among them.
     */
    private static Contents readContents(Path copy) throws SQLException {
        try (var connection = SqliteFiles.immutable(copy)) {
            return readContents(connection);
        }
    }

    private static Contents readContents(Connection connection) throws SQLException {
        var schema = SqliteFiles.schema(connection);
        var problems = Health.quickCheck(connection);
        Map<String, Long> counts;
        try {
            counts = SqliteFiles.rowCounts(connection);
        } catch (SQLException e) {
            if (!Health.isCorrupt(e)) {
                throw e;
            }
            problems = new ArrayList<>(problems);
            problems.remove("ok");
            problems.add("rows could not be counted: " + SqliteErrors.messageOf(e));
            counts = Map.of();
        }
        return new Contents(schema, counts, problems);
    }

    /** Removes the partial files of a backup that failed, keeping any trouble doing so with that failure. */
    private static <T extends RuntimeException> T cleanUpAfter(T failure, Path... partials) {
        for (var file : partials) {
            for (var path : new Path[] {file, SqliteFiles.sibling(file, "-journal")}) {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    failure.addSuppressed(e);
                }
            }
        }
        return failure;
    }

    private static ThreadFactory daemon(String name) {
        return task -> {
            var thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Stops a pool whose tasks have all been waited for (or no longer matter after a failure). */
    private static void stop(ExecutorService pool) {
        pool.shutdownNow();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
