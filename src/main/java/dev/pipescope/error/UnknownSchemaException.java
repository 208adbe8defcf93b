package dev.pipescope.error;

/** The database's schema is newer than this Pipescope, or its layout is not one Pipescope recognises; the file was left untouched. */
public class UnknownSchemaException extends PipescopeException {
    public UnknownSchemaException(String message) {
        super(message);
    }

    public UnknownSchemaException(String message, Throwable cause) {
        super(message, cause);
    }
}
