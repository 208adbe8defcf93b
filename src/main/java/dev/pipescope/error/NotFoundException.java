package dev.pipescope.error;

/** The file, row or aggregate asked for does not exist. */
public class NotFoundException extends PipescopeException {
    public NotFoundException(String message) {
        super(message);
    }

    public NotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
