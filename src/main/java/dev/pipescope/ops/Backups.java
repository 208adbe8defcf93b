package dev.pipescope.ops;

import dev.pipescope.ConnectionSettings;
import dev.pipescope.PipescopeDatabase;
import dev.pipescope.error.DatabaseBusyException;
import dev.pipescope.error.InvalidBackupException;
import dev.pipescope.error.NoDatabaseFileException;
import dev.pipescope.error.NotFoundException;
import dev.pipescope.error.ReadOnlyViolationException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Backups of one database file, kept in one folder (by default {@code backups/} beside the file): the
 * entry point to writing ({@link #create}), cataloguing ({@link #list}, {@link #find}, {@link #prune}),
 * validating ({@link #validate}) and restoring ({@link #restore}) them.
 *
 * <pre>{@code
 * var backups = Backups.of(db);              // or Backups.forFile(path) for any tool's SQLite file
 * Backup b = backups.create("before the upgrade");
 * backups.validate(b).ok();
 * backups.restore(b).reopen();
 * }</pre>
 *
 * <p><b>Taking a backup</b> is online: SQLite's backup API copies every page in one step, so the copy
 * is one consistent snapshot (in WAL mode writers carry on meanwhile), into a hidden partial file. Only
 * once the copy is synced, hashed and described by its metadata JSON is it renamed into place, so a
 * listed backup is never half-written. The source is never written to, whichever tool's file it is.
 *
 * <p><b>Restoring</b> replaces the database's content, so it needs the file to itself:
 * <ol>
 *   <li>a directory is refused, a symbolic link is followed to its target; the backup is validated (size,
 *       SHA-256, integrity_check, schema) and must hold the same table layouts as the live file;</li>
 *   <li>the path's restore lock is held to the end (restores of one path never interleave); a live file
 *       that is not provably a database is replaced only with {@link RestoreOptions#forced()}, a missing
 *       one created only with {@link RestoreOptions#creatingMissing()};</li>
 *   <li>the database this service came from ({@code Backups.of(db)}) is closed and SQLite's exclusive lock
 *       taken (WAL files are switched to a rollback journal, which SQLite only allows when no other
 *       connection has the file open); if another connection or process holds the file, the restore is
 *       refused with {@link DatabaseBusyException} naming the file;</li>
 *   <li>under that lock a safety backup of the current content is taken, the backup's pages are copied into
 *       the file in one journalled transaction and checked; if the check fails the safety backup is copied
 *       back; the file is left in the journal mode it was found in.</li>
 * </ol>
 * A rollback-journal file (the upstream tools' default) shows only connections that are inside a
 * transaction; idle ones hold no lock, so stop the tool before restoring its file.
 */
public final class Backups {
    private final BackupLocation location;
    private final Optional<PipescopeDatabase> owner;
    private final ConnectionSettings settings;

    private Backups(BackupLocation location, Optional<PipescopeDatabase> owner, ConnectionSettings settings) {
        this.location = location;
        this.owner = owner;
        this.settings = settings;
    }

    /** Backups of any SQLite file (a Pipescope database or an upstream tool's), in {@code backups/} beside it. */
    public static Backups forFile(Path database) {
        return new Backups(new BackupLocation(database, defaultDirectory(database), Clock.systemUTC()),
                Optional.empty(), ConnectionSettings.readWrite());
    }

    /**
     * Backups of an open database, in {@code backups/} beside its file; a restore closes it (see
     * {@link RestoreResult#reopen()}).
     *
     * <pre>{@code
     * var backup = Backups.of(db).create("nightly");
     * }</pre>
     *
     * @throws NoDatabaseFileException for a database that has no file (SQLite's {@code :memory:}, or a database
     *                                 on a server, which its server's own tools back up)
     */
    public static Backups of(PipescopeDatabase db) {
        var path = db.path().orElseThrow(() -> new NoDatabaseFileException("database " + db.connections().location()
                + " has no file to back up or restore (SQLite's :memory:, or a database on a server, which the"
                + " server's own tools back up)"));
        return new Backups(new BackupLocation(path, defaultDirectory(path), Clock.systemUTC()), Optional.of(db),
                db.settings());
    }

    /** The default folder: {@code backups/} beside the database file. */
    public static Path defaultDirectory(Path database) {
        return database.toAbsolutePath().normalize().getParent().resolve("backups");
    }

    /** The same backups service, keeping its backups in {@code directory} instead. */
    public Backups in(Path directory) {
        return new Backups(new BackupLocation(location.database(), directory, location.clock()), owner, settings);
    }

    /** The same service with another clock (for retention by age). */
    public Backups withClock(Clock clock) {
        return new Backups(new BackupLocation(location.database(), location.directory(), clock), owner, settings);
    }

    /** The database file (absolute). */
    public Path database() {
        return location.database();
    }

    /** The backups folder (absolute). */
    public Path directory() {
        return location.directory();
    }

    /** {@link #create(String, Progress)} without progress reports. */
    public Backup create(String description) {
        return create(description, Progress.NONE);
    }

    /**
     * Takes a consistent online copy of the database into the backups folder, with its metadata JSON.
     *
     * @throws NotFoundException when the database file does not exist
     * @throws dev.pipescope.error.NotASqliteFileException when it is not a SQLite database
     */
    public Backup create(String description, Progress progress) {
        Leftovers.tidy(location);
        return new BackupWriter(location, settings).create(description, progress);
    }

    /** This database's backups in the folder, newest first (with those whose metadata is missing, too). */
    public List<Backup> list() {
        return new BackupCatalog(location).list();
    }

    /** The newest backup, if any. */
    public Optional<Backup> latest() {
        return list().stream().findFirst();
    }

    /**
     * A backup by file name (as {@link #list()} shows it) in the folder, or by path; empty when neither exists.
     *
     * <pre>{@code
     * backups.find("runs-20260101T000000000Z.db").map(backups::validate);
     * }</pre>
     */
    public Optional<Backup> find(String nameOrPath) {
        return new BackupCatalog(location).find(nameOrPath);
    }

    /**
     * Like {@link #find(String)}, for a backup that must exist.
     *
     * @throws NotFoundException naming where it looked
     */
    public Backup get(String nameOrPath) {
        return new BackupCatalog(location).get(nameOrPath);
    }

    /** The backup at {@code file}, with its metadata read from the JSON beside it when that is readable. */
    public Backup read(Path file) {
        return new BackupCatalog(location).read(file);
    }

    /** {@link #validate(Backup, Progress)} without progress reports. */
    public ValidationResult validate(Backup backup) {
        return validate(backup, Progress.NONE);
    }

    /**
     * Checks a backup without changing it: the file is present, its size and SHA-256 match the metadata,
     * {@code PRAGMA integrity_check} is ok and its schema is one this Pipescope knows (and the one recorded).
     */
    public ValidationResult validate(Backup backup, Progress progress) {
        return BackupValidator.validate(backup, progress);
    }

    /** {@link #restore(Backup, RestoreOptions, Progress)} with {@link RestoreOptions#DEFAULT}, without progress reports. */
    public RestoreResult restore(Backup backup) {
        return restore(backup, RestoreOptions.DEFAULT, Progress.NONE);
    }

    /** {@link #restore(Backup, RestoreOptions, Progress)} with {@link RestoreOptions#DEFAULT}. */
    public RestoreResult restore(Backup backup, Progress progress) {
        return restore(backup, RestoreOptions.DEFAULT, progress);
    }

    /**
     * Replaces the database file with the backup (see the class comment for the steps). The database this
     * service came from is closed; use {@link RestoreResult#reopen()}. Restores of one path run one at a
     * time, across threads and processes; through a symbolic link the link's target is replaced and the
     * link stays.
     *
     * <pre>{@code
     * backups.restore(backup, RestoreOptions.DEFAULT.creatingMissing(), Progress.NONE);
     * }</pre>
     *
     * @throws InvalidBackupException when the backup fails validation or holds other layouts (nothing changed)
     * @throws DatabaseBusyException when another connection or process uses the file (nothing changed)
     * @throws ReadOnlyViolationException when the database was opened read-only
     * @throws dev.pipescope.error.NotASqliteFileException when the path is a directory, or the live file is
     *         not provably a SQLite database and {@code options.force()} is false (nothing changed)
     * @throws NotFoundException when no file exists and {@code options.createMissing()} is false
     */
    public RestoreResult restore(Backup backup, RestoreOptions options, Progress progress) {
        Leftovers.tidy(location);
        return new Restorer(location, owner, settings, new BackupWriter(location, settings))
                .restore(backup, options, progress);
    }

    /** The backups {@code policy} would delete, newest first (what {@link #prune} deletes). */
    public List<Backup> expired(RetentionPolicy policy) {
        return new BackupCatalog(location).expired(policy);
    }

    /** Deletes the backups (file and metadata) that {@code policy} does not keep; returns what it deleted. */
    public List<Backup> prune(RetentionPolicy policy) {
        Leftovers.tidy(location);
        return new BackupCatalog(location).prune(policy);
    }

    /**
     * Removes what killed or failed backups and restores of this database left (partial copies, a restore's
     * temporary copy) and puts back the journal mode an interrupted restore had switched; files of runs still
     * in progress are left alone. {@link #create}, {@link #restore} and {@link #prune} do this first.
     *
     * <pre>{@code
     * Backups.forFile(path).tidy().forEach(System.err::println);
     * }</pre>
     *
     * @return one line per thing done, e.g. {@code removed /data/backups/.runs-...db.p4711.partial (a killed backup's partial file)}
     */
    public List<String> tidy() {
        return Leftovers.tidy(location);
    }

    /**
     * Files in the backups folder or beside the database that belong to this database's backups but are
     * neither a backup, its metadata, nor a file of a run in progress (e.g. a metadata file whose backup was
     * deleted, or a leftover {@link #tidy()} could not remove).
     */
    public List<Path> unexplained() {
        return Leftovers.unexplained(location);
    }
}
