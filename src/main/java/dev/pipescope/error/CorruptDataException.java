package dev.pipescope.error;

/** A stored value cannot be decoded (bad zstd frame, truncated JSON, malformed timestamp). */
public class CorruptDataException extends PipescopeException {
    public CorruptDataException(String message) {
        super(message);
    }

    public CorruptDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
