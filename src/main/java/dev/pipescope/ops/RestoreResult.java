package dev.pipescope.ops;

import dev.pipescope.Pipescope;
import dev.pipescope.PipescopeDatabase;
import dev.pipescope.ConnectionSettings;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a restore did. The database object the restore was started from is closed by then; open the
 * restored file again with {@link #reopen()}.
 *
 * @param database the database file, now holding the backup's content
 * @param restoredFrom the backup that was put in place
 * @param safetyBackup the backup of the previous content taken just before the restore (empty when there was no file)
 * @param damagedFileKept where the previous file was moved when it was not a readable SQLite database
 * @param settings the settings the database was open with, used by {@link #reopen()}
 */
public record RestoreResult(Path database, Backup restoredFrom, Optional<Backup> safetyBackup,
                            Optional<Path> damagedFileKept, ConnectionSettings settings) {

    /** Opens the restored database with the settings it was open with before the restore. */
    public PipescopeDatabase reopen() {
        return Pipescope.open(database, settings);
    }
}
