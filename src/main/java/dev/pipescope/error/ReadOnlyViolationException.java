package dev.pipescope.error;

/** A write was attempted on a database opened read-only; nothing was written. */
public class ReadOnlyViolationException extends PipescopeException {
    public ReadOnlyViolationException(String message) {
        super(message);
    }

    public ReadOnlyViolationException(String message, Throwable cause) {
        super(message, cause);
    }
}
