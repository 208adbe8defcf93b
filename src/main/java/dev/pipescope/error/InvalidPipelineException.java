package dev.pipescope.error;

/** A pipeline aggregate breaks a rule (blank name, duplicate stage order, ...); nothing was written. */
public class InvalidPipelineException extends PipescopeException {
    public InvalidPipelineException(String message) {
        super(message);
    }

    public InvalidPipelineException(String message, Throwable cause) {
        super(message, cause);
    }
}
