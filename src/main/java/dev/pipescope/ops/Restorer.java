package dev.pipescope.ops;

import dev.pipescope.ConnectionSettings;
import dev.pipescope.PipescopeDatabase;
import dev.pipescope.error.CorruptDataException;
import dev.pipescope.error.DatabaseBusyException;
import dev.pipescope.error.InvalidBackupException;
import dev.pipescope.error.NotASqliteFileException;
import dev.pipescope.error.NotFoundException;
import dev.pipescope.error.PipescopeException;
import dev.pipescope.error.ReadOnlyViolationException;
import dev.pipescope.error.StorageException;
import dev.pipescope.sqlite.SqliteErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.sqlite.SQLiteConnection;

/**
 * Puts a backup in place of the live file; see {@link Backups#restore(Backup, RestoreOptions, Progress)}.
 *
 * <p>Everything from inspecting the live file to checking the restored one happens under the file's
 * {@link PathLock}, so two restores of one path never interleave; SQLite's exclusive lock keeps every
 * other connection out while the safety copy is taken and the backup copied in.
 */
final class Restorer {
    /** Busy timeout while looking for other users of the file: they are refused, not waited for. */
    private static final int LOCK_TIMEOUT_MS = 2_000;

    private final BackupLocation location;
    private final Optional<PipescopeDatabase> owner;
    private final ConnectionSettings settings;
    private final BackupWriter writer;

    Restorer(BackupLocation location, Optional<PipescopeDatabase> owner, ConnectionSettings settings,
             BackupWriter writer) {
        this.location = location;
        this.owner = owner;
        this.settings = settings;
        this.writer = writer;
    }

    RestoreResult restore(Backup backup, RestoreOptions options, Progress progress) {
        var database = location.database();
        if (settings.readOnly() || owner.map(PipescopeDatabase::readOnly).orElse(false)) {
            throw new ReadOnlyViolationException("database " + database + " was opened read-only: refused to restore "
                    + backup.name() + " over it");
        }
        var target = LiveFile.resolve(database);
        var validation = BackupValidator.validate(backup, progress);
        if (!validation.ok()) {
            throw new InvalidBackupException("refused to restore " + backup.file() + " over " + database + ": "
                    + validation.summary(), BackupValidator.failedChecks(validation));
        }
        if (!java.nio.file.Files.exists(PathLock.fileOf(target), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            // no restore ever ran here, so there is nothing to recover first: what will be refused is refused
            // now, without leaving a lock file beside a file that is not the user's database
            refuseUnwanted(LiveFile.inspect(target, settings.busyTimeoutMs()), options, target, backup);
        }
        try (var pathLock = PathLock.acquire(target)) {
            Leftovers.recoverLocked(target);
            var live = LiveFile.inspect(target, settings.busyTimeoutMs());
            refuseUnwanted(live, options, target, backup);
            if (live instanceof LiveFile.Missing) {
                owner.ifPresent(PipescopeDatabase::close);
                putInPlace(backup, target, progress);
                verifyRestored(backup, target);
                return new RestoreResult(database, backup, Optional.empty(), Optional.empty(), settings);
            }
            if (live instanceof LiveFile.Unprovable) {
                owner.ifPresent(PipescopeDatabase::close);
                var kept = moveAside(target);
                putInPlace(backup, target, progress);
                verifyRestored(backup, target);
                return new RestoreResult(database, backup, Optional.empty(), Optional.of(kept), settings);
            }
            var found = (LiveFile.Database) live;
            var recorded = backup.metadata().orElseThrow();
            if (!found.schema().layouts().equals(recorded.layouts())) {
                throw new InvalidBackupException("refused to restore " + backup.file() + " over " + database
                        + ": the backup holds " + recorded.layouts() + " but the database holds "
                        + found.schema().layouts() + "; it is a backup of another kind of database", List.of());
            }
            owner.ifPresent(PipescopeDatabase::close);
            var safety = replaceLocked(backup, target, found.fileKey(), progress);
            return new RestoreResult(database, backup, Optional.of(safety), Optional.empty(), settings);
        }
    }

    /** Refuses a missing file without --create and a file that is not provably a database without --force. */
    private static void refuseUnwanted(LiveFile.State live, RestoreOptions options, Path target, Backup backup) {
        if (live instanceof LiveFile.Missing && !options.createMissing()) {
            throw new NotFoundException("no database file at " + target + " to restore " + backup.name()
                    + " over; to create it from the backup, restore with --create (RestoreOptions.creatingMissing())");
        }
        if (live instanceof LiveFile.Unprovable unprovable && !options.force()) {
            throw new NotASqliteFileException("refused to restore over " + target + ": " + unprovable.reason()
                    + ". Pipescope cannot tell it is the database you meant to replace; to move it aside to "
                    + target.getFileName() + ".damaged-<time> and restore anyway, use --force "
                    + "(RestoreOptions.forced())");
        }
    }

    /**
     * Under SQLite's exclusive lock: the safety copy, the backup's pages copied into the live file, the
     * check, and the put-back if the check fails. The live file keeps its inode, so a program that opened
     * it meanwhile waits for the lock and then sees the restored content: nothing it commits afterwards can
     * land in a file that has left the path, nor in the -wal of another file.
     */
    private Backup replaceLocked(Backup backup, Path target, Object inspectedKey, Progress progress) {
        Backup safety = null;
        try (var lock = ExclusiveLock.take(target, inspectedKey, LOCK_TIMEOUT_MS)) {
            try {
                if (!Objects.equals(inspectedKey, LiveFile.fileKey(target).orElse(null))) {
                    // another program renamed a file in between: this lock holds a file no longer at the path
                    throw new DatabaseBusyException("refused to restore over " + target + ": the file was replaced "
                            + "by another program while the restore was starting; it was left as that program left it");
                }
                safety = writer.copyLocked(lock.connection(), target, "safety copy before restoring " + backup.name(),
                        progress);
                copyInto(lock.connection(), backup.file(), target, progress, "restore");
                lock.swapped();
                try {
                    verifyRestored(lock.connection(), backup, target);
                } catch (PipescopeException e) {
                    try {
                        copyInto(lock.connection(), safety.file(), target, Progress.NONE, "put back");
                    } catch (RuntimeException putBack) {
                        e.addSuppressed(putBack);
                        throw new StorageException("the restored file " + target + " failed its check ("
                                + e.getMessage() + ") and putting back the safety backup " + safety.file()
                                + " failed too: " + putBack.getMessage() + ". Restore that safety backup by hand", e);
                    }
                    throw new StorageException("the restored file " + target + " failed its check after the restore ("
                            + e.getMessage() + "); the previous content was put back from " + safety.file(), e);
                }
                lock.leave();
                return safety;
            } catch (RuntimeException e) {
                lock.restoreJournalMode(e);
                if (safety != null && !lock.isSwapped()) {
                    // the live file was not replaced, so the copy of it is not needed (and would pile up)
                    deleteQuietly(safety, e);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw SqliteErrors.translate(e, target.toString(), "restore " + backup.name());
        }
    }

    /**
     * The one routine that replaces a live database's content (swap-in and put-back): SQLite's backup API
     * copies every page of {@code source} into the file in one write transaction, journalled, so the file
     * holds the old or the new content, never a mix, even if the process is killed meanwhile.
     */
    private static void copyInto(Connection lock, Path source, Path target, Progress progress, String phase) {
        try {
            var sqlite = lock.unwrap(SQLiteConnection.class).getDatabase();
            progress.report(phase, 0, 1);
            // immutable: reading the backup never creates a -wal or -shm beside it (a kill would leave them)
            int rc = sqlite.restore("main", source.toUri() + "?immutable=1",
                    (remaining, pageCount) -> progress.report(phase, pageCount - remaining, pageCount), 100, 50, -1);
            if (rc != 0) {
                throw new StorageException("copying " + source + " into " + target + " failed with SQLite result code "
                        + rc + "; the file was left as it was");
            }
            progress.report(phase, 1, 1);
        } catch (SQLException e) {
            throw SqliteErrors.translate(e, target.toString(), "copy " + source + " into it");
        }
    }

    private static void deleteQuietly(Backup safety, Exception failure) {
        try {
            BackupCatalog.delete(safety);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private Path moveAside(Path target) {
        var kept = target.resolveSibling(target.getFileName() + ".damaged-"
                + BackupLocation.STAMP.format(location.clock().instant()));
        try {
            FileReplace.move(target, kept);
        } catch (IOException e) {
            throw new StorageException("cannot move " + target + " aside to " + kept + ": " + e.getMessage(), e);
        }
        return kept;
    }

    /** Where there is no database to copy into (none, or a damaged file moved aside): the backup is renamed in. */
    private static void putInPlace(Backup backup, Path target, Progress progress) {
        try {
            FileReplace.replace(backup.file(), backup.metadata().orElseThrow().sha256(), target, progress, "restore");
        } catch (IOException e) {
            throw new StorageException("restoring " + backup.file() + " over " + target
                    + " failed before the rename, nothing was put in place: " + e.getMessage(), e);
        }
    }

    /** Checks a file put in place where there was no database to lock (created, or a damaged one moved aside). */
    private void verifyRestored(Backup backup, Path target) {
        try (var connection = SqliteFiles.readWrite(target, settings.busyTimeoutMs())) {
            verifyRestored(connection, backup, target);
        } catch (SQLException e) {
            throw SqliteErrors.translate(e, target.toString(), "check the restored file");
        }
    }

    private static void verifyRestored(Connection connection, Backup backup, Path target) {
        var recorded = backup.metadata().orElseThrow();
        try {
            var quick = SqliteFiles.column(connection, OpsSql.QUICK_CHECK);
            if (!quick.equals(List.of("ok"))) {
                throw new CorruptDataException("restored " + target + " fails quick_check: " + quick);
            }
            var schema = SqliteFiles.schema(connection);
            if (!schema.layouts().equals(recorded.layouts())) {
                throw new CorruptDataException("restored " + target + " holds " + schema.layouts()
                        + ", the backup's metadata records " + recorded.layouts());
            }
        } catch (SQLException e) {
            throw SqliteErrors.translate(e, target.toString(), "check the restored file");
        }
    }

    /**
     * The connection holding the file exclusively. Leaving WAL for the lock is noted in a file beside the
     * database first, so a restore killed inside the lock window has its journal mode put back by the next run.
     */
    static final class ExclusiveLock implements AutoCloseable {
        private final Path database;
        private final Connection connection;
        private boolean wasWal;
        private boolean swapped;

        private ExclusiveLock(Path database, Connection connection) {
            this.database = database;
            this.connection = connection;
        }

        Connection connection() {
            return connection;
        }

        /**
         * Takes the file exclusively: switching out of WAL needs every other connection closed, and
         * {@code locking_mode=EXCLUSIVE} keeps the lock after the write transaction that takes it.
         */
        static ExclusiveLock take(Path database, Object fileKey, int timeoutMs) throws SQLException {
            var lock = new ExclusiveLock(database, SqliteFiles.readWrite(database, timeoutMs));
            var connection = lock.connection;
            try (var st = connection.createStatement()) {
                // PRAGMAs that change state, and BEGIN EXCLUSIVE, cannot be prepared catalog queries.
                // Leaving WAL happens in normal locking mode: in exclusive mode SQLite would index the WAL in
                // its own heap instead of the shared -shm, and could miss a commit another connection is making
                var mode = SqliteFiles.column(connection, OpsSql.JOURNAL_MODE).get(0);
                if ("wal".equalsIgnoreCase(mode)) {
                    Leftovers.noteJournalMode(database, "wal", fileKey);
                    lock.wasWal = true;
                    try (var rs = st.executeQuery("PRAGMA journal_mode = DELETE")) {
                        rs.next();
                        if (!"delete".equalsIgnoreCase(rs.getString(1))) {
                            throw inUse(database, null);
                        }
                    }
                }
                st.execute("PRAGMA locking_mode = EXCLUSIVE");
                st.execute("BEGIN EXCLUSIVE");
                st.execute("COMMIT");
                return lock;
            } catch (SQLException | RuntimeException e) {
                lock.restoreJournalMode(e);
                try {
                    connection.close();
                } catch (SQLException close) {
                    e.addSuppressed(close);
                }
                if (e instanceof SQLException sql && SqliteErrors.isBusy(sql)) {
                    throw inUse(database, sql);
                }
                throw e;
            }
        }

        /** The backup's pages are in the file. */
        void swapped() {
            swapped = true;
        }

        /**
         * After a successful restore: the file goes back to the journal mode it was found in, so the
         * programs using it find it as they left it.
         */
        void leave() throws SQLException {
            if (wasWal) {
                try (var st = connection.createStatement()) {
                    st.execute("PRAGMA locking_mode = NORMAL");
                    try (var rs = st.executeQuery("PRAGMA journal_mode = WAL")) {
                        rs.next();
                    }
                }
                wasWal = false;
            }
        }

        boolean isSwapped() {
            return swapped;
        }

        /** After a failure: leave the file in the journal mode it had. */
        void restoreJournalMode(Exception failure) {
            if (!wasWal) {
                return;
            }
            try (var st = connection.createStatement()) {
                st.execute("PRAGMA journal_mode = WAL");
                wasWal = false;
            } catch (SQLException e) {
                failure.addSuppressed(e);
            }
        }

        @Override
        public void close() throws SQLException {
            try {
                // still exclusive (or back in WAL): no rollback-journal writer can be starting
                Leftovers.dropStaleJournal(database);
            } finally {
                connection.close();
            }
            if (!wasWal) {
                Leftovers.forgetJournalMode(database);
            }
        }

        static DatabaseBusyException inUse(Path database, SQLException cause) {
            return new DatabaseBusyException("refused to restore over " + database + ": another connection or process "
                    + "has it open. Close every program using it (notebooks, the upstream tool, other Pipescope "
                    + "databases on this file) and retry; the file was left untouched", cause);
        }
    }
}
