package dev.pipescope.error;

/**
 * The environment Pipescope runs in failed, not the user's file: no space left, a file-size limit, a
 * native library (SQLite's) that could not be loaded. The message names the environment and what to
 * check; the database named in the command was not changed.
 */
public class EnvironmentException extends PipescopeException {
    public EnvironmentException(String message, Throwable cause) {
        super(message, cause);
    }
}
