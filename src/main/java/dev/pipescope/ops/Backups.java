package dev.pipescope.ops;

import dev.pipescope.error.InvalidBackupException;
import dev.pipescope.error.NoDatabaseFileException;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipescope.error.DatabaseBusyException;
import dev.pipescope.error.NotFoundException;
import dev.pipescope.error.PipescopeException;
import dev.pipescope.error.ReadOnlyViolationException;
import dev.pipescope.error.StorageException;
import dev.pipescope.ConnectionSettings;
import dev.pipescope.sqlite.Migrations;
import dev.pipescope.PipescopeDatabase;
import dev.pipescope.sqlite.SqliteErrors;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.sqlite.SQLiteConnection;

/**
 * Backups of one database file, kept in one folder (by default {@code backups/} beside the file).
 *
 * <p><b>Taking a backup</b> is online: SQLite's backup API copies every page in one step, so the copy
 * is one consistent snapshot (in WAL mode writers carry on meanwhile), into a hidden partial file. Only
 * once the copy is synced, hashed and described by its metadata JSON is it renamed into place, so a
 * listed backup is never half-written. The source is never written to, whichever tool's file it is.
 *
 * <p><b>Restoring</b> replaces the database file, so it needs the file to itself:
 * <ol>
 *   <li>the backup is validated (size, SHA-256, integrity_check, schema) and must hold the same table
 *       layouts as the live file; otherwise it is refused and nothing is touched;</li>
 *   <li>the database this service came from ({@code Backups.of(db)}) is closed;</li>
 *   <li>an exclusive lock is taken (WAL files are switched to a rollback journal, which SQLite only
 *       allows when no other connection has the file open); if another connection or process holds
 *       the file, the restore is refused with {@link DatabaseBusyException} naming the file;</li>
 *   <li>under that lock a safety backup of the current content is taken, the backup is copied beside
 *       the file and checked against its SHA-256, stale {@code -wal}/{@code -shm} files are removed and
 *       the copy is renamed over the file (atomic);</li>
 *   <li>the restored file is opened and quick-checked; if that fails, the safety backup is put back.</li>
 * </ol>
 * A rollback-journal file (the upstream tools' default) shows only connections that are inside a
 * transaction; idle ones hold no lock, so stop the tool before restoring its file.
 */
public final class Backups {
    /** Busy timeout while looking for other users of the file: they are refused, not waited for. */
    private static final int LOCK_TIMEOUT_MS = 2_000;
    private static final int PAGES_PER_STEP = 4_096;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path database;
    private final Path directory;
    private final Optional<PipescopeDatabase> owner;
    private final ConnectionSettings settings;
    private final Clock clock;
    private final ObjectMapper mapper = new ObjectMapper();

    private Backups(Path database, Path directory, Optional<PipescopeDatabase> owner, ConnectionSettings settings,
                    Clock clock) {
        this.database = database.toAbsolutePath().normalize();
        this.directory = directory.toAbsolutePath().normalize();
        this.owner = owner;
        this.settings = settings;
        this.clock = clock;
    }

    /** Backups of any SQLite file (a Pipescope database or an upstream tool's), in {@code backups/} beside it. */
    public static Backups forFile(Path database) {
        var absolute = database.toAbsolutePath().normalize();
        return new Backups(absolute, defaultDirectory(absolute), Optional.empty(), ConnectionSettings.readWrite(),
                Clock.systemUTC());
    }

    /**
     * Backups of an open database, in {@code backups/} beside its file; a restore closes it (see
     * {@link RestoreResult#reopen()}).
     *
     * <pre>{@code
     * var backup = Backups.of(db).create();
     * }</pre>
     *
     * @throws NoDatabaseFileException for a database that has no file (SQLite's {@code :memory:})
     */
    public static Backups of(PipescopeDatabase db) {
        var path = db.path().orElseThrow(() -> new NoDatabaseFileException(
                "database " + db + " is SQLite's :memory: and has no file to back up or restore"));
        return new Backups(path, defaultDirectory(path), Optional.of(db), db.settings(), Clock.systemUTC());
    }

    /** The default folder: {@code backups/} beside the database file. */
    public static Path defaultDirectory(Path database) {
        var parent = database.toAbsolutePath().normalize().getParent();
        return parent.resolve("backups");
    }

    /** The same backups service, keeping its backups in {@code directory} instead. */
    public Backups in(Path directory) {
        return new Backups(database, directory, owner, settings, clock);
    }

    /** The same service with another clock (for retention by age). */
    public Backups withClock(Clock clock) {
        return new Backups(database, directory, owner, settings, clock);
    }

    public Path database() {
        return database;
    }

    public Path directory() {
        return directory;
    }

    // ---------------------------------------------------------------- create

    public Backup create(String description) {
        return create(description, Progress.NONE);
    }

    /**
     * Takes a consistent online copy of the database into the backups folder, with its metadata JSON.
     *
     * <p>The copy is one step of SQLite's backup API, so it reads one snapshot however busy the writers are.
     * It is written without syncs of its own; one fsync afterwards runs while the copy is hashed and its
     * rows counted, so the three overlap instead of adding up.
     *
     * @throws NotFoundException when the database file does not exist
     * @throws dev.pipescope.error.NotASqliteFileException when it is not a SQLite database
     */
    public Backup create(String description, Progress progress) {
        if (!Files.isRegularFile(database)) {
            throw new NotFoundException("no database file at " + database + " to back up");
        }
        long expectedBytes;
        try (var source = SqliteFiles.readOnly(database, settings.busyTimeoutMs())) {
            // also fails early, with a clear error, on a file that is not a SQLite database
            expectedBytes = SqliteFiles.number(source, OpsSql.PAGE_COUNT) * SqliteFiles.number(source, OpsSql.PAGE_SIZE);
        } catch (SQLException e) {
            throw SqliteErrors.translate(e, database.toString(), "read " + database + " before backing it up");
        }
        return write(description, progress, partial -> copyWhole(partial, expectedBytes, progress));
    }

    /** Copies a consistent snapshot of the database, as seen by {@code source} (the restore lock), page by page. */
    private Backup copy(Connection source, String description, Progress progress) throws SQLException {
        return write(description, progress, partial -> {
            source.setAutoCommit(false);
            try {
                SqliteFiles.number(source, OpsSql.START_SNAPSHOT);
                var sqlite = ((SQLiteConnection) source.unwrap(SQLiteConnection.class)).getDatabase();
                progress.report("backup", 0, 1);
                int rc = sqlite.backup("main", partial.toString(),
                        (remaining, pageCount) -> progress.report("backup", pageCount - remaining, pageCount),
                        100, 50, PAGES_PER_STEP);
                if (rc != 0) {
                    throw new StorageException("SQLite's backup of " + database + " into " + partial
                            + " failed with result code " + rc);
                }
            } finally {
                // ends the snapshot and leaves the connection as it came (the restore lock reuses it)
                source.setAutoCommit(true);
            }
        });
    }

    /** Writes the copy of the whole database into {@code partial}. */
    @FunctionalInterface
    private interface CopyInto {
        void copy(Path partial) throws SQLException, IOException;
    }

    private void copyWhole(Path partial, long expectedBytes, Progress progress) throws SQLException, IOException {
        var done = new java.util.concurrent.atomic.AtomicBoolean();
        // one backup step reports nothing until it ends, so progress is the copy's size as it grows
        var watcher = new Thread(() -> {
            while (!done.get()) {
                try {
                    progress.report("backup", Math.min(SqliteFiles.sizeOrZero(partial), expectedBytes), expectedBytes);
                    Thread.sleep(200);
                } catch (IOException e) {
                    // only the progress display stops; the copy itself reports its own failure
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }, "pipescope-backup-progress");
        watcher.setDaemon(true);
        try (var destination = SqliteFiles.scratch(partial)) {
            watcher.start();
            var sqlite = ((SQLiteConnection) destination.unwrap(SQLiteConnection.class)).getDatabase();
            int rc = sqlite.restore("main", database.toString(), null, 100, 50, -1);
            if (rc != 0) {
                throw new StorageException("SQLite's backup of " + database + " into " + partial
                        + " failed with result code " + rc);
            }
        } finally {
            done.set(true);
            joinQuietly(watcher);
        }
        progress.report("backup", expectedBytes, expectedBytes);
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What is read from the finished copy itself, so the metadata describes exactly the copy. */
    private record Contents(SqliteFiles.Schema schema, java.util.Map<String, Long> rowCounts) {}

    private Backup write(String description, Progress progress, CopyInto copyInto) {
        createDirectory();
        var createdAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        var target = freeName(createdAt);
        var partial = directory.resolve("." + target.getFileName() + ".partial");
        var partialMetadata = directory.resolve("." + Backup.metadataFileOf(target).getFileName() + ".partial");
        try {
            copyInto.copy(partial);
            long size = Files.size(partial);
            // the fsync, the row counts and the hash overlap: on large files they take as long as the slowest
            var syncing = start("pipescope-backup-sync", () -> {
                try (var channel = java.nio.channels.FileChannel.open(partial, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
                return null;
            });
            var reading = start("pipescope-backup-row-counts", () -> readContents(partial));
            var sha = SqliteFiles.sha256(partial, progress, "checksum");
            var contents = result(reading, partial);
            result(syncing, partial);
            var metadata = new BackupMetadata(createdAt, description == null ? "" : description,
                    PipescopeVersion.current(), contents.schema().version(), contents.schema().layouts(),
                    database.toString(), size, sha, contents.rowCounts());
            try (var out = Files.newOutputStream(partialMetadata, StandardOpenOption.CREATE_NEW)) {
                mapper.writerWithDefaultPrettyPrinter().writeValue(out, metadata.toJson(mapper));
            }
            try (var channel = java.nio.channels.FileChannel.open(partialMetadata, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            move(partial, target);
            move(partialMetadata, Backup.metadataFileOf(target));
            return new Backup(target, Optional.of(metadata), Optional.empty(), createdAt);
        } catch (IOException e) {
            var failure = new StorageException("backing up " + database + " into " + directory + " failed: "
                    + e.getMessage(), e);
            cleanUpAfter(failure, partial, SqliteFiles.sibling(partial, "-journal"), partialMetadata);
            throw failure;
        } catch (SQLException e) {
            var failure = SqliteErrors.translate(e, database.toString(), "back up into " + directory);
            cleanUpAfter(failure, partial, SqliteFiles.sibling(partial, "-journal"), partialMetadata);
            throw failure;
        } catch (RuntimeException e) {
            cleanUpAfter(e, partial, SqliteFiles.sibling(partial, "-journal"), partialMetadata);
            throw e;
        }
    }

    private static Contents readContents(Path copy) throws SQLException {
        try (var connection = SqliteFiles.immutable(copy)) {
            return new Contents(SqliteFiles.schema(connection), SqliteFiles.rowCounts(connection));
        }
    }

    private static <T> java.util.concurrent.FutureTask<T> start(String name, java.util.concurrent.Callable<T> work) {
        var task = new java.util.concurrent.FutureTask<>(work);
        var thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return task;
    }

    private static <T> T result(java.util.concurrent.FutureTask<T> task, Path copy) throws SQLException, IOException {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while finishing the backup " + copy, e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new StorageException("finishing the backup " + copy + " failed: " + e.getCause(), e.getCause());
        }
    }

    private void createDirectory() {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new StorageException("cannot create the backups folder " + directory + ": " + e.getMessage(), e);
        }
    }

    private Path freeName(Instant createdAt) {
        var base = stem() + "-" + STAMP.format(createdAt);
        var candidate = directory.resolve(base + ".db");
        for (int n = 2; Files.exists(candidate) || Files.exists(Backup.metadataFileOf(candidate)); n++) {
            candidate = directory.resolve(base + "-" + n + ".db");
        }
        return candidate;
    }

    private String stem() {
        var name = database.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system cannot rename " + from + " to " + to + " atomically", e);
        }
    }

    /** Removes leftovers of an operation that already failed, keeping any trouble doing so with that failure. */
    private static void cleanUpAfter(Throwable failure, Path... files) {
        for (var file : files) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
    }

    // ---------------------------------------------------------------- list

    /** This database's backups in the folder, newest first (with those whose metadata is missing, too). */
    public List<Backup> list() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        var pattern = Pattern.compile(Pattern.quote(stem()) + "-\\d{8}T\\d{9}Z(-\\d+)?\\.db");
        var found = new ArrayList<Backup>();
        try (var files = Files.list(directory)) {
            for (var file : (Iterable<Path>) files::iterator) {
                if (pattern.matcher(file.getFileName().toString()).matches()) {
                    found.add(read(file));
                }
            }
        } catch (IOException e) {
            throw new StorageException("cannot list the backups folder " + directory + ": " + e.getMessage(), e);
        }
        found.sort(Comparator.comparing(Backup::createdAt).thenComparing(Backup::name).reversed());
        return found;
    }

    /** The newest backup, if any. */
    public Optional<Backup> latest() {
        return list().stream().findFirst();
    }

    /**
     * A backup by file name (as {@link #list()} shows it) in the folder, or by path.
     *
     * @throws NotFoundException naming where it looked
     */
    public Backup find(String nameOrPath) {
        var inFolder = directory.resolve(nameOrPath);
        if (Files.isRegularFile(inFolder)) {
            return read(inFolder);
        }
        var asPath = Path.of(nameOrPath);
        if (Files.isRegularFile(asPath)) {
            return read(asPath);
        }
        throw new NotFoundException("no backup '" + nameOrPath + "' in " + directory + " nor at " + asPath.toAbsolutePath());
    }

    /** The backup at {@code file}, with its metadata read from the JSON beside it when that is readable. */
    public Backup read(Path file) {
        var absolute = file.toAbsolutePath().normalize();
        var metadataFile = Backup.metadataFileOf(absolute);
        Optional<BackupMetadata> metadata = Optional.empty();
        Optional<String> problem = Optional.empty();
        if (!Files.exists(metadataFile)) {
            problem = Optional.of("metadata file " + metadataFile + " is missing");
        } else {
            try {
                metadata = Optional.of(BackupMetadata.fromJson(mapper.readTree(metadataFile.toFile())));
            } catch (IOException | IllegalArgumentException e) {
                problem = Optional.of("metadata file " + metadataFile + " is unreadable: " + e.getMessage());
            }
        }
        Instant createdAt;
        if (metadata.isPresent()) {
            createdAt = metadata.get().createdAt();
        } else {
            createdAt = timeInName(absolute).orElseGet(() -> modified(absolute));
        }
        return new Backup(absolute, metadata, problem, createdAt);
    }

    private static final Pattern STAMP_IN_NAME = Pattern.compile("-(\\d{8}T\\d{9}Z)(-\\d+)?\\.db$");

    /** Backups are named after the moment they were taken, which outlives a lost metadata file. */
    private static Optional<Instant> timeInName(Path file) {
        var m = STAMP_IN_NAME.matcher(file.getFileName().toString());
        if (!m.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.from(STAMP.parse(m.group(1))));
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Instant modified(Path file) {
        try {
            return Files.exists(file) ? Files.getLastModifiedTime(file).toInstant() : Instant.EPOCH;
        } catch (IOException e) {
            throw new StorageException("cannot read the time of " + file + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- validate

    public ValidationResult validate(Backup backup) {
        return validate(backup, Progress.NONE);
    }

    /**
     * Checks a backup without changing it: the file is present, its size and SHA-256 match the metadata,
     * {@code PRAGMA integrity_check} is ok and its schema is one this Pipescope knows (and the one recorded).
     */
    public ValidationResult validate(Backup backup, Progress progress) {
        var checks = new ArrayList<ValidationResult.Check>();
        var file = backup.file();
        if (!Files.isRegularFile(file)) {
            checks.add(fail("file", "backup file " + file + " is missing"));
            return new ValidationResult(file, checks);
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            checks.add(fail("file", "cannot read " + file + ": " + e.getMessage()));
            return new ValidationResult(file, checks);
        }
        checks.add(pass("file", file + " (" + size + " bytes)"));
        var metadata = backup.metadata();
        if (metadata.isEmpty()) {
            checks.add(fail("metadata", backup.metadataProblem().orElse("no metadata")
                    + "; without it the backup's size and checksum cannot be trusted"));
        } else {
            var recorded = metadata.get();
            checks.add(pass("metadata", backup.metadataFile().toString()));
            checks.add(size == recorded.sizeBytes()
                    ? pass("size", size + " bytes")
                    : fail("size", "file has " + size + " bytes, metadata records " + recorded.sizeBytes()));
            try {
                var sha = SqliteFiles.sha256(file, progress, "checksum");
                checks.add(sha.equals(recorded.sha256())
                        ? pass("sha256", sha)
                        : fail("sha256", "file hashes to " + sha + ", metadata records " + recorded.sha256()));
            } catch (IOException e) {
                checks.add(fail("sha256", "cannot read " + file + ": " + e.getMessage()));
            }
        }
        progress.report("integrity check", 0, 1);
        try (var connection = SqliteFiles.immutable(file)) {
            var problems = SqliteFiles.column(connection, OpsSql.INTEGRITY_CHECK);
            boolean ok = problems.equals(List.of("ok"));
            checks.add(ok ? pass("integrity", "ok")
                    : fail("integrity", "integrity_check reports: " + String.join("; ", problems.subList(0,
                    Math.min(5, problems.size())))));
            checks.add(schemaCheck(SqliteFiles.schema(connection), metadata));
        } catch (SQLException | PipescopeException e) {
            checks.add(fail("integrity", "not a readable SQLite database: " + SqliteErrors.messageOf(e)));
        }
        progress.report("integrity check", 1, 1);
        return new ValidationResult(file, checks);
    }

    private static ValidationResult.Check schemaCheck(SqliteFiles.Schema schema, Optional<BackupMetadata> metadata) {
        if (schema.layouts().isEmpty()) {
            return fail("schema", "tables " + schema.tables() + " match no table layout Pipescope knows");
        }
        int latest = Migrations.latestVersion();
        if (schema.version().isPresent() && schema.version().get() > latest) {
            return fail("schema", "schema version " + schema.version().get() + " is newer than this Pipescope ("
                    + latest + ")");
        }
        if (metadata.isPresent()) {
            var recorded = metadata.get();
            if (!recorded.layouts().equals(schema.layouts())) {
                return fail("schema", "file holds layouts " + schema.layouts() + ", metadata records " + recorded.layouts());
            }
            if (!recorded.schemaVersion().equals(schema.version())) {
                return fail("schema", "file has schema version " + schema.version().map(String::valueOf).orElse("none")
                        + ", metadata records " + recorded.schemaVersion().map(String::valueOf).orElse("none"));
            }
        }
        return pass("schema", schema.layouts() + schema.version().map(v -> ", version " + v).orElse(""));
    }

    private static ValidationResult.Check pass(String name, String detail) {
        return new ValidationResult.Check(name, true, detail);
    }

    private static ValidationResult.Check fail(String name, String detail) {
        return new ValidationResult.Check(name, false, detail);
    }

    // ---------------------------------------------------------------- restore

    public RestoreResult restore(Backup backup) {
        return restore(backup, Progress.NONE);
    }

    /**
     * Replaces the database file with the backup (see the class comment for the steps). The database this
     * service came from is closed; use {@link RestoreResult#reopen()}.
     *
     * @throws InvalidBackupException when the backup fails validation or holds other layouts (nothing changed)
     * @throws DatabaseBusyException when another connection or process uses the file (nothing changed)
     * @throws ReadOnlyViolationException when the database was opened read-only
     */
    public RestoreResult restore(Backup backup, Progress progress) {
        if (settings.readOnly() || owner.map(PipescopeDatabase::readOnly).orElse(false)) {
            throw new ReadOnlyViolationException("database " + database + " was opened read-only: refused to restore "
                    + backup.name() + " over it");
        }
        var validation = validate(backup, progress);
        if (!validation.ok()) {
            throw new InvalidBackupException("refused to restore " + backup.file() + " over " + database + ": "
                    + validation.summary(), failedChecks(validation));
        }
        var recorded = backup.metadata().orElseThrow();
        var live = inspectLive();
        if (live.isPresent() && !live.get().layouts().equals(recorded.layouts())) {
            throw new InvalidBackupException("refused to restore " + backup.file() + " over " + database
                    + ": the backup holds " + recorded.layouts() + " but the database holds " + live.get().layouts()
                    + "; it is a backup of another kind of database", failedChecks(validation));
        }
        owner.ifPresent(PipescopeDatabase::close);
        if (!Files.exists(database)) {
            swapIn(backup, progress);
            verifyRestored(backup);
            return new RestoreResult(database, backup, Optional.empty(), Optional.empty(), settings);
        }
        if (live.isEmpty()) {
            return restoreOverDamagedFile(backup, progress);
        }
        Backup safety;
        try (var lock = exclusiveLock()) {
            try {
                safety = copy(lock.connection(), "safety copy before restoring " + backup.name(), progress);
                swapIn(backup, progress);
            } catch (SQLException | RuntimeException e) {
                lock.restoreJournalMode(e);
                throw e;
            }
        } catch (SQLException e) {
            throw SqliteErrors.translate(e, database.toString(), "restore " + backup.name());
        }
        try {
            verifyRestored(backup);
        } catch (PipescopeException e) {
            putBack(safety, e);
            throw new StorageException("the restored file " + database + " failed its check after the swap ("
                    + e.getMessage() + "); the previous content was put back from " + safety.file(), e);
        }
        return new RestoreResult(database, backup, Optional.of(safety), Optional.empty(), settings);
    }

    /** The live file's schema, or empty when the file exists but is not a readable SQLite database. */
    private Optional<SqliteFiles.Schema> inspectLive() {
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

    /** The connection holding the file exclusively, and whether the file was in WAL mode before. */
    private record Lock(Connection connection, boolean wasWal) implements AutoCloseable {
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
    }

    /**
     * Takes the file exclusively: switching out of WAL needs every other connection closed, and
     * {@code locking_mode=EXCLUSIVE} keeps the lock after the write transaction that takes it.
     */
    private Lock exclusiveLock() throws SQLException {
        var connection = SqliteFiles.readWrite(database, LOCK_TIMEOUT_MS);
        boolean wal = false;
        try (var st = connection.createStatement()) {
            // PRAGMAs that change state, and BEGIN EXCLUSIVE, cannot be prepared catalog queries
            st.execute("PRAGMA locking_mode = EXCLUSIVE");
            var mode = SqliteFiles.column(connection, OpsSql.JOURNAL_MODE).get(0);
            if ("wal".equalsIgnoreCase(mode)) {
                try (var rs = st.executeQuery("PRAGMA journal_mode = DELETE")) {
                    rs.next();
                    if (!"delete".equalsIgnoreCase(rs.getString(1))) {
                        throw inUse(null);
                    }
                }
                wal = true;
            }
            st.execute("BEGIN EXCLUSIVE");
            st.execute("COMMIT");
            return new Lock(connection, wal);
        } catch (SQLException e) {
            var failure = SqliteErrors.isBusy(e) ? inUse(e) : e;
            new Lock(connection, wal).restoreJournalMode(e);
            connection.close();
            if (failure instanceof DatabaseBusyException busy) {
                throw busy;
            }
            throw e;
        } catch (RuntimeException e) {
            new Lock(connection, wal).restoreJournalMode(e);
            connection.close();
            throw e;
        }
    }

    private DatabaseBusyException inUse(SQLException cause) {
        return new DatabaseBusyException("refused to restore over " + database + ": another connection or process "
                + "has it open. Close every program using it (notebooks, the upstream tool, other Pipescope "
                + "databases on this file) and retry; the file was left untouched", cause);
    }

    /** Copies the backup beside the database, checks the copy's SHA-256, clears stale WAL files and renames it in. */
    private void swapIn(Backup backup, Progress progress) {
        var recorded = backup.metadata().orElseThrow();
        var temporary = database.resolveSibling("." + database.getFileName() + ".restoring");
        try {
            Files.deleteIfExists(temporary);
            var sha = SqliteFiles.copyAndHash(backup.file(), temporary, progress, "restore");
            if (!sha.equals(recorded.sha256())) {
                Files.delete(temporary);
                throw new InvalidBackupException("refused to restore " + backup.file() + ": its copy hashes to " + sha
                        + ", the metadata records " + recorded.sha256() + " (did the backup change meanwhile?)",
                        List.of("sha256"));
            }
            // a WAL left beside the new file would be replayed into it
            for (var suffix : List.of("-wal", "-shm", "-journal")) {
                Files.deleteIfExists(SqliteFiles.sibling(database, suffix));
            }
            move(temporary, database);
        } catch (IOException e) {
            var failure = new StorageException("restoring " + backup.file() + " over " + database
                    + " failed before the swap, the database was left as it was: " + e.getMessage(), e);
            cleanUpAfter(failure, temporary);
            throw failure;
        }
    }

    private void verifyRestored(Backup backup) {
        var recorded = backup.metadata().orElseThrow();
        try (var connection = SqliteFiles.readWrite(database, settings.busyTimeoutMs())) {
            var quick = SqliteFiles.column(connection, OpsSql.QUICK_CHECK);
            if (!quick.equals(List.of("ok"))) {
                throw new dev.pipescope.error.CorruptDataException("restored " + database + " fails quick_check: " + quick);
            }
            var schema = SqliteFiles.schema(connection);
            if (!schema.layouts().equals(recorded.layouts())) {
                throw new dev.pipescope.error.CorruptDataException("restored " + database + " holds " + schema.layouts()
                        + ", the backup's metadata records " + recorded.layouts());
            }
        } catch (SQLException e) {
            throw SqliteErrors.translate(e, database.toString(), "check the restored file");
        }
    }

    private void putBack(Backup safety, PipescopeException failure) {
        var temporary = database.resolveSibling("." + database.getFileName() + ".restoring");
        try {
            Files.deleteIfExists(temporary);
            SqliteFiles.copyAndHash(safety.file(), temporary, Progress.NONE, "put back");
            for (var suffix : List.of("-wal", "-shm", "-journal")) {
                Files.deleteIfExists(SqliteFiles.sibling(database, suffix));
            }
            move(temporary, database);
        } catch (IOException e) {
            failure.addSuppressed(e);
            throw new StorageException("the restored file " + database + " failed its check (" + failure.getMessage()
                    + ") and putting back the safety backup " + safety.file() + " failed too: " + e.getMessage()
                    + ". Restore that safety backup by hand", failure);
        }
    }

    /** A live file SQLite cannot read cannot be locked or backed up: it is kept by moving it aside. */
    private RestoreResult restoreOverDamagedFile(Backup backup, Progress progress) {
        var kept = database.resolveSibling(database.getFileName() + ".damaged-" + STAMP.format(clock.instant()));
        try {
            move(database, kept);
        } catch (IOException e) {
            throw new StorageException("cannot move the unreadable " + database + " aside to " + kept + ": "
                    + e.getMessage(), e);
        }
        swapIn(backup, progress);
        verifyRestored(backup);
        return new RestoreResult(database, backup, Optional.empty(), Optional.of(kept), settings);
    }

    // ---------------------------------------------------------------- prune

    /** The backups {@code policy} would delete, oldest last (what {@link #prune} deletes). */
    public List<Backup> expired(RetentionPolicy policy) {
        var all = list();
        var now = clock.instant();
        var expired = new ArrayList<Backup>();
        for (int i = 0; i < all.size(); i++) {
            var backup = all.get(i);
            final int rank = i;
            boolean keptByCount = policy.keepLast().map(n -> rank < n).orElse(false);
            boolean keptByAge = policy.keepNewerThan().map(age -> backup.createdAt().isAfter(now.minus(age)))
                    .orElse(false);
            if (!keptByCount && !keptByAge) {
                expired.add(backup);
            }
        }
        return expired;
    }

    /** Deletes the backups (file and metadata) that {@code policy} does not keep; returns what it deleted. */
    public List<Backup> prune(RetentionPolicy policy) {
        var expired = expired(policy);
        for (var backup : expired) {
            try {
                Files.deleteIfExists(backup.metadataFile());
                Files.deleteIfExists(backup.file());
            } catch (IOException e) {
                throw new StorageException("cannot delete backup " + backup.file() + ": " + e.getMessage(), e);
            }
        }
        return expired;
    }

    private static List<String> failedChecks(ValidationResult validation) {
        return validation.failures().stream().map(ValidationResult.Check::name).toList();
    }
}
