package dev.pipescope.error;

/** An argument is out of range or malformed (negative page size, blank key, null). */
public class InvalidArgumentException extends PipescopeException {
    public InvalidArgumentException(String message) {
        super(message);
    }

    public InvalidArgumentException(String message, Throwable cause) {
        super(message, cause);
    }
}
