package dev.pipescope.ops;

import dev.pipescope.ConnectionSettings;
import dev.pipescope.PipescopeDatabase;
import dev.pipescope.error.CorruptDataException;
import dev.pipescope.error.DatabaseBusyException;
import dev.pipescope.error.InvalidBackupException;
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
import java.util.Optional;

/** Puts a backup in place of the live file; see {@link Backups#restore(Backup, Progress)} for the steps. */
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

    RestoreResult restore(Backup backup, Progress progress) {
        var database = location.database();
        if (settings.readOnly() || owner.map(PipescopeDatabase::readOnly).orElse(false)) {
            throw new ReadOnlyViolationException("database " + database + " was opened read-only: refused to restore "
                    + backup.name() + " over it");
        }
        var validation = BackupValidator.validate(backup, progress);
        if (!validation.ok()) {
            throw new InvalidBackupException("refused to restore " + backup.file() + " over " + database + ": "
                    + validation.summary(), BackupValidator.failedChecks(validation));
        }
        var recorded = backup.metadata().orElseThrow();
        var live = inspectLive(database);
        if (live.isPresent() && !live.get().layouts().equals(recorded.layouts())) {
            throw new InvalidBackupException("refused to restore " + backup.file() + " over " + database
                    + ": the backup holds " + recorded.layouts() + " but the database holds " + live.get().layouts()
                    + "; it is a backup of another kind of database", BackupValidator.failedChecks(validation));
        }
        owner.ifPresent(PipescopeDatabase::close);
        if (!Files.exists(database)) {
            swapIn(backup, database, progress);
            verifyRestored(backup, database);
            return new RestoreResult(database, backup, Optional.empty(), Optional.empty(), settings);
        }
        if (live.isEmpty()) {
            var kept = moveAside(database);
            swapIn(backup, database, progress);
            verifyRestored(backup, database);
            return new RestoreResult(database, backup, Optional.empty(), Optional.of(kept), settings);
        }
        Backup safety;
        try (var lock = ExclusiveLock.take(database, LOCK_TIMEOUT_MS)) {
            try {
                safety = writer.copyFrom(lock.connection(), "safety copy before restoring " + backup.name(), progress);
                swapIn(backup, database, progress);
            } catch (RuntimeException e) {
                lock.restoreJournalMode(e);
                throw e;
            }
        } catch (SQLException e) {
            throw SqliteErrors.translate(e, database.toString(), "restore " + backup.name());
        }
        try {
            verifyRestored(backup, database);
        } catch (PipescopeException e) {
            putBack(safety, database, e);
            throw new StorageException("the restored file " + database + " failed its check after the swap ("
                    + e.getMessage() + "); the previous content was put back from " + safety.file(), e);
        }
        return new RestoreResult(database, backup, Optional.of(safety), Optional.empty(), settings);
    }

    /** The live file's schema, or empty when the file exists but is not a readable SQLite database. */
    private Optional<SqliteFiles.Schema> inspectLive(Path database) {
        if (!Files.exists(database)) {
            return Optional.empty();
        }
        try (var connection = SqliteFiles.readOnly(database, settings.busyTimeoutMs())) {
            return Optional.of(SqliteFiles.schema(connection));
        } catch (SQLException e) {
            if (SqliteErrors.isBusy(e)) {
                throw SqliteErrors.translate(e, database.toString(), "read the schema before a restore");
            }
            return Optional.empty();
        }
    }

    private Path moveAside(Path database) {
        var kept = database.resolveSibling(database.getFileName() + ".damaged-"
                + BackupLocation.STAMP.format(location.clock().instant()));
        try {
            FileReplace.move(database, kept);
        } catch (IOException e) {
            throw new StorageException("cannot move the unreadable " + database + " aside to " + kept + ": "
                    + e.getMessage(), e);
        }
        return kept;
    }

    private static void swapIn(Backup backup, Path database, Progress progress) {
        try {
            FileReplace.replace(backup.file(), backup.metadata().orElseThrow().sha256(), database, progress, "restore");
        } catch (IOException e) {
            throw new StorageException("restoring " + backup.file() + " over " + database
                    + " failed before the swap, the database was left as it was: " + e.getMessage(), e);
        }
    }

    private void verifyRestored(Backup backup, Path database) {
        var recorded = backup.metadata().orElseThrow();
        try (var connection = SqliteFiles.readWrite(database, settings.busyTimeoutMs())) {
            var quick = SqliteFiles.column(connection, OpsSql.QUICK_CHECK);
            if (!quick.equals(List.of("ok"))) {
                throw new CorruptDataException("restored " + database + " fails quick_check: " + quick);
            }
            var schema = SqliteFiles.schema(connection);
            if (!schema.layouts().equals(recorded.layouts())) {
                throw new CorruptDataException("restored " + database + " holds " + schema.layouts()
                        + ", the backup's metadata records " + recorded.layouts());
            }
        } catch (SQLException e) {
            throw SqliteErrors.translate(e, database.toString(), "check the restored file");
        }
    }

    private static void putBack(Backup safety, Path database, PipescopeException failure) {
        try {
            FileReplace.replace(safety.file(), safety.metadata().orElseThrow().sha256(), database, Progress.NONE,
                    "put back");
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
            throw new StorageException("the restored file " + database + " failed its check (" + failure.getMessage()
                    + ") and putting back the safety backup " + safety.file() + " failed too: " + e.getMessage()
                    + ". Restore that safety backup by hand", failure);
        }
    }

    /** The connection holding the file exclusively, and whether the file was in WAL mode before. */
    record ExclusiveLock(Path database, Connection connection, boolean wasWal) implements AutoCloseable {
        /**
         * Takes the file exclusively: switching out of WAL needs every other connection closed, and
         * {@code locking_mode=EXCLUSIVE} keeps the lock after the write transaction that takes it.
         */
        static ExclusiveLock take(Path database, int timeoutMs) throws SQLException {
            var connection = SqliteFiles.readWrite(database, timeoutMs);
            boolean wal = false;
            try (var st = connection.createStatement()) {
                // PRAGMAs that change state, and BEGIN EXCLUSIVE, cannot be prepared catalog queries
                st.execute("PRAGMA locking_mode = EXCLUSIVE");
                var mode = SqliteFiles.column(connection, OpsSql.JOURNAL_MODE).get(0);
                if ("wal".equalsIgnoreCase(mode)) {
                    try (var rs = st.executeQuery("PRAGMA journal_mode = DELETE")) {
                        rs.next();
                        if (!"delete".equalsIgnoreCase(rs.getString(1))) {
                            throw inUse(database, null);
                        }
                    }
                    wal = true;
                }
                st.execute("BEGIN EXCLUSIVE");
                st.execute("COMMIT");
                return new ExclusiveLock(database, connection, wal);
            } catch (SQLException | RuntimeException e) {
                new ExclusiveLock(database, connection, wal).restoreJournalMode(e);
                connection.close();
                if (e instanceof SQLException sql && SqliteErrors.isBusy(sql)) {
                    throw inUse(database, sql);
                }
                throw e;
            }
        }

        /** After a failure before the swap: leave the untouched file in the journal mode it had. */
        void restoreJournalMode(Exception failure) {
            if (!wasWal) {
                return;
            }
            try (var st = connection.createStatement()) {
                st.execute("PRAGMA journal_mode = WAL");
            } catch (SQLException e) {
                failure.addSuppressed(e);
            }
        }

        @Override
        public void close() throws SQLException {
            connection.close();
        }

        static DatabaseBusyException inUse(Path database, SQLException cause) {
            return new DatabaseBusyException("refused to restore over " + database + ": another connection or process "
                    + "has it open. Close every program using it (notebooks, the upstream tool, other Pipescope "
                    + "databases on this file) and retry; the file was left untouched", cause);
        }
    }
}
