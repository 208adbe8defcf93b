package dev.pipescope.error;

/**
 * A statement would read a table that holds secrets (OAuth tokens, sessions, credentials): Pipescope
 * never shows those, so it was refused before it ran. Nothing was read or changed.
 */
public class SecretTableException extends PipescopeException {
    public SecretTableException(String message) {
        super(message);
    }
}
