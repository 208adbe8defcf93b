package dev.pipescope.error;

/** The operation needs a database file, and this database lives only in memory. */
public class NoDatabaseFileException extends PipescopeException {
    public NoDatabaseFileException(String message) {
        super(message);
    }
}
