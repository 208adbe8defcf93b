package dev.pipescope.ops;

import dev.pipescope.error.PipescopeException;

/** The operation needs a database file, and this database lives only in memory. */
public class NoDatabaseFileException extends PipescopeException {
    public NoDatabaseFileException(String message) {
        super(message);
    }
}
