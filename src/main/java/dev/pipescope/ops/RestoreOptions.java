package dev.pipescope.ops;

/**
 * What a restore may do beyond replacing a database it can read.
 *
 * <pre>{@code
 * backups.restore(backup, RestoreOptions.DEFAULT.forced(), Progress.NONE);
 * }</pre>
 *
 * @param force also replace a live file Pipescope cannot prove is a SQLite database (unreadable, not a
 *              database, corrupt schema); it is moved aside to {@code <name>.damaged-<UTC time>}, never deleted
 * @param createMissing create the database from the backup when no file exists at its path
 */
public record RestoreOptions(boolean force, boolean createMissing) {
    /** Replace only a readable SQLite database that exists. */
    public static final RestoreOptions DEFAULT = new RestoreOptions(false, false);

    /** The same options, also replacing a file that is not provably a database (CLI {@code --force}). */
    public RestoreOptions forced() {
        return new RestoreOptions(true, createMissing);
    }

    /** The same options, also creating a missing database (CLI {@code --create}). */
    public RestoreOptions creatingMissing() {
        return new RestoreOptions(force, true);
    }
}
