package dev.pipescope.error;

/** A name that must be unique (a pipeline name, a stage order) is already taken. */
public class DuplicateNameException extends PipescopeException {
    public DuplicateNameException(String message) {
        super(message);
    }

    public DuplicateNameException(String message, Throwable cause) {
        super(message, cause);
    }
}
