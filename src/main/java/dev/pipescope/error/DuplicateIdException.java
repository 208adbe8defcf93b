package dev.pipescope.error;

/** An id that must be unique is already stored. */
public class DuplicateIdException extends PipescopeException {
    public DuplicateIdException(String message) {
        super(message);
    }

    public DuplicateIdException(String message, Throwable cause) {
        super(message, cause);
    }
}
