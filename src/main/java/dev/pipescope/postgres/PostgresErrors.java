package dev.pipescope.postgres;

import dev.pipescope.ServerTarget;
import dev.pipescope.error.AuthenticationFailedException;
import dev.pipescope.error.DatabaseBusyException;
import dev.pipescope.error.NotFoundException;
import dev.pipescope.error.PipescopeException;
import dev.pipescope.error.ReadOnlyViolationException;
import dev.pipescope.error.ServerUnreachableException;
import dev.pipescope.error.StorageException;
import dev.pipescope.error.StorageFullException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;

/**
 * Turns PostgreSQL failures (pgjdbc's, HikariCP's, or either wrapped by Jdbi or Flyway) into Pipescope's typed
 * errors by their SQLState. Every message names the server and database ({@link ServerTarget#location()}) and
 * never holds the password: the driver's own text is searched for it and blanked, whatever it says.
 */
public final class PostgresErrors {
    private final ServerTarget target;

    public PostgresErrors(ServerTarget target) {
        this.target = target;
    }

    /** The SQLState of the first SQL exception in the cause chain that has one, e.g. {@code 28P01}. */
    public static Optional<String> sqlState(Throwable error) {
        for (var t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException e && e.getSQLState() != null) {
                return Optional.of(e.getSQLState());
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return Optional.empty();
    }

    /** True for an integrity constraint violation (class 23: unique, foreign key, check, not null). */
    public boolean isConstraint(Throwable error) {
        return sqlState(error).map(s -> s.startsWith("23")).orElse(false);
    }

    /** True for a conflict that a retry of the whole transaction resolves (serialization failure, deadlock). */
    static boolean isRetryable(Throwable error) {
        return sqlState(error).map(s -> s.equals("40001") || s.equals("40P01")).orElse(false);
    }

    /** The message of the deepest SQL exception (the server's own words), or the error's, without the password. */
    public String messageOf(Throwable error) {
        String message = error.getMessage();
        for (var t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException && t.getMessage() != null) {
                message = t.getMessage();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return scrub(message);
    }

    /** {@code text} with the password, should it appear, replaced by {@code ****}. */
    String scrub(String text) {
        if (text == null) {
            return null;
        }
        var password = target.password().map(dev.pipescope.Secret::reveal).orElse("");
        return password.isEmpty() ? text : text.replace(password, "****");
    }

    private String server() {
        return "the PostgreSQL server at " + target.host() + ":" + target.port();
    }

    /**
     * The typed error for a failure while doing {@code what}; a Pipescope exception passes through unchanged.
     * Connection failures (08xxx, 57P01-57P03) are {@link ServerUnreachableException}, refused credentials
     * (28xxx) {@link AuthenticationFailedException}, a missing database (3D000) or table (42P01)
     * {@link NotFoundException}, a write in a read-only transaction (25006) {@link ReadOnlyViolationException},
     * serialization failures, deadlocks, lock timeouts and a pool with no free connection
     * {@link DatabaseBusyException}, a full disk (53100) {@link StorageFullException}.
     */
    public PipescopeException translate(Throwable error, String what) {
        if (error instanceof PipescopeException p) {
            return p;
        }
        var state = sqlState(error).orElse("");
        var detail = messageOf(error);
        var database = target.location();
        if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
            return new ServerUnreachableException("cannot reach " + server() + " for database '" + target.database()
                    + "' (" + database + ") to " + what + ": " + detail + " [SQLState " + state + "]. Check the host"
                    + " and port, and that the server is running and accepts TCP connections.", error);
        }
        if (state.startsWith("28")) {
            return new AuthenticationFailedException(server() + " refused role '" + target.user().orElse("(default)")
                    + "' for database '" + target.database() + "' (" + database + ") while trying to " + what + ": "
                    + detail + " [SQLState " + state + "]. Check the user name and password, and the server's"
                    + " pg_hba.conf.", error);
        }
        switch (state) {
            case "3D000":
                return new NotFoundException("database '" + target.database() + "' does not exist on " + server()
                        + " (" + database + "); could not " + what + " (" + detail + ") [SQLState 3D000]", error);
            case "42P01":
                return new NotFoundException("a table does not exist in " + database + ": " + detail
                        + "; could not " + what + " [SQLState 42P01]", error);
            case "25006":
                return new ReadOnlyViolationException("database " + database + " is read-only: refused to " + what
                        + " (" + detail + ")", error);
            case "40001", "40P01", "55P03":
                return new DatabaseBusyException("database " + database + ": another transaction conflicted while"
                        + " trying to " + what + " (" + detail + ") [SQLState " + state + "]", error);
            case "53300":
                return new DatabaseBusyException(server() + " has no free connection slot for " + database
                        + " to " + what + " (" + detail + ") [SQLState 53300]", error);
            case "53100":
                return new StorageFullException(server() + " is out of disk space; could not " + what + " in "
                        + database + " (" + detail + ") [SQLState 53100]", error);
            case "57014":
                return new StorageException("database " + database + ": the statement was cancelled (statement"
                        + " timeout " + target.statementTimeoutMs() + " ms, or cancelled by an operator) while"
                        + " trying to " + what + ": " + detail, error);
            default:
                break;
        }
        if (state.isEmpty() && hasPoolTimeout(error)) {
            return new DatabaseBusyException("all " + target.poolSize() + " connections to " + database
                    + " stayed busy for " + target.connectTimeoutMs() + " ms; could not " + what, error);
        }
        return new StorageException("database " + database + ": failed to " + what + ": " + detail
                + (state.isEmpty() ? "" : " [SQLState " + state + "]"), error);
    }

    /** HikariCP's "no connection became free in time", which carries no SQLState of its own. */
    private static boolean hasPoolTimeout(Throwable error) {
        for (var t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
