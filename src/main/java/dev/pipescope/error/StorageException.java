package dev.pipescope.error;

/** SQLite or the file system failed in a way no more specific error describes. */
public class StorageException extends PipescopeException {
    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
