package dev.pipescope.error;

/** The operation needs a database file, and this database has none: it lives in memory, or on a server. */
public class NoDatabaseFileException extends PipescopeException {
    public NoDatabaseFileException(String message) {
        super(message);
    }
}
