package dev.pipescope.error;

/** SQLite stayed busy or locked by another connection beyond the busy timeout and retries. */
public class DatabaseBusyException extends PipescopeException {
    public DatabaseBusyException(String message) {
        super(message);
    }

    public DatabaseBusyException(String message, Throwable cause) {
        super(message, cause);
    }
}
