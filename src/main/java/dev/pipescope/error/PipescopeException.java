package dev.pipescope.error;

/**
 * Root of every error Pipescope raises. Unchecked, so notebook code stays short; every subclass
 * says in its message which file, table, key or value was concerned.
 */
public class PipescopeException extends RuntimeException {
    public PipescopeException(String message) {
        super(message);
    }

    public PipescopeException(String message, Throwable cause) {
        super(message, cause);
    }
}
