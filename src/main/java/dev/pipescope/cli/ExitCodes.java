package dev.pipescope.cli;

import dev.pipescope.error.ConfigException;
import dev.pipescope.error.CorruptDataException;
import dev.pipescope.error.DatabaseBusyException;
import dev.pipescope.error.EnvironmentException;
import dev.pipescope.error.InvalidArgumentException;
import dev.pipescope.error.LayoutNotPresentException;
import dev.pipescope.error.NotASqliteFileException;
import dev.pipescope.error.NotFoundException;
import dev.pipescope.error.UnknownSchemaException;
import dev.pipescope.error.UnreadableConfigException;
import dev.pipescope.error.InvalidBackupException;
import java.util.LinkedHashMap;
import java.util.Map;

/** What {@code pipescope} exits with; the same table is printed under every command's {@code --help}. */
public final class ExitCodes {
    public static final int OK = 0;
    /**
     * Unhealthy or corrupt database (migrate refused, backup taken of a file failing quick_check), a backup
     * that failed validation, a restore refused for an invalid backup.
     */
    public static final int CHECK_FAILED = 1;
    /** Bad command line: unknown command or option, missing or malformed value; a malformed or insecure config file. */
    public static final int USAGE = 2;
    /** No such file, backup or database alias, not a SQLite database, or a schema Pipescope does not know. */
    public static final int NOT_FOUND = 3;
    /** The database is locked or open elsewhere (a restore refused because of it). */
    public static final int BUSY = 4;
    /** Any other failure (I/O, read-only file, an unreadable config file...). */
    public static final int ERROR = 5;
    /** The environment failed, not the file: no space, a file-size limit, SQLite's native library not loadable. */
    public static final int ENVIRONMENT = 6;

    private ExitCodes() {}

    /** The exit code for an error that ended a command. */
    public static int of(Throwable error) {
        if (error instanceof InvalidBackupException || error instanceof CorruptDataException) {
            return CHECK_FAILED;
        }
        if (error instanceof UnreadableConfigException) {
            return ERROR;
        }
        if (error instanceof InvalidArgumentException || error instanceof ConfigException) {
            return USAGE;
        }
        if (error instanceof NotFoundException || error instanceof NotASqliteFileException
                || error instanceof UnknownSchemaException || error instanceof LayoutNotPresentException) {
            return NOT_FOUND;
        }
        if (error instanceof DatabaseBusyException) {
            return BUSY;
        }
        if (error instanceof EnvironmentException) {
            return ENVIRONMENT;
        }
        return ERROR;
    }

    /** For the help text. */
    static Map<String, String> descriptions() {
        var codes = new LinkedHashMap<String, String>();
        codes.put(" 0", "success (health: healthy or degraded)");
        codes.put(" 1", "check failed: unhealthy or corrupt database (backup taken with a warning, migrate refused), "
                + "invalid backup, restore refused for an invalid backup");
        codes.put(" 2", "usage error (unknown command or option, bad value, a malformed or insecure config file)");
        codes.put(" 3", "not found (a file, backup or alias), not a SQLite database, or a schema Pipescope does not know");
        codes.put(" 4", "database busy or open elsewhere (restore refused)");
        codes.put(" 5", "other failure (I/O, read-only file, an unreadable config file)");
        codes.put(" 6", "environment failure, not the file's: no space, a file-size limit, SQLite's native library not loadable");
        return codes;
    }
}
