package dev.pipescope.sqlite;

import dev.pipescope.error.DatabaseBusyException;
import dev.pipescope.error.NotASqliteFileException;
import dev.pipescope.error.PipescopeException;
import dev.pipescope.error.ReadOnlyViolationException;
import dev.pipescope.error.StorageException;
import java.util.Optional;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** Turns SQLite failures (raw or wrapped by Jdbi) into Pipescope's typed errors. */
public final class SqliteErrors {
    private SqliteErrors() {}

    /** The SQLite primary error code somewhere in the cause chain, if any. */
    public static Optional<SQLiteErrorCode> codeOf(Throwable error) {
        for (var t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLiteException e) {
                return Optional.of(e.getResultCode());
            }
        }
        return Optional.empty();
    }

    /** True for a constraint violation of any kind (unique, primary key, foreign key, check, not null). */
    public static boolean isConstraint(Throwable error) {
        return codeOf(error).map(c -> c.name().startsWith("SQLITE_CONSTRAINT")).orElse(false);
    }

    /** True when the failure means another connection holds the lock. */
    public static boolean isBusy(Throwable error) {
        return codeOf(error).map(c -> c.name().startsWith("SQLITE_BUSY") || c.name().startsWith("SQLITE_LOCKED"))
                .orElse(false);
    }

    /** The SQLite message of the deepest SQL exception, or the error's own message. */
    public static String messageOf(Throwable error) {
        String message = error.getMessage();
        for (var t = error; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException && t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message;
    }

    /**
     * The typed error for a failure while doing {@code what} on {@code file}. A Pipescope exception
     * passes through unchanged.
     */
    public static PipescopeException translate(Throwable error, String file, String what) {
        if (error instanceof PipescopeException p) {
            return p;
        }
        var code = codeOf(error).orElse(null);
        var detail = messageOf(error);
        if (code != null) {
            var name = code.name();
            if (name.startsWith("SQLITE_BUSY") || name.startsWith("SQLITE_LOCKED")) {
                return new DatabaseBusyException("database " + file + " stayed locked by another connection while trying to "
                        + what + " (" + detail + ")", error);
            }
            if (name.startsWith("SQLITE_READONLY")) {
                return new ReadOnlyViolationException("database " + file + " is read-only: refused to " + what
                        + " (" + detail + ")", error);
            }
            if (name.startsWith("SQLITE_NOTADB") || name.startsWith("SQLITE_CORRUPT")) {
                return new NotASqliteFileException("file " + file + " is not a readable SQLite database (" + detail
                        + ") while trying to " + what, error);
            }
        }
        return new StorageException("database " + file + ": failed to " + what + ": " + detail, error);
    }
}
