package dev.pipescope.error;

/**
 * The database server is a version Pipescope does not run on (PostgreSQL before 12). The message names the
 * server, its version and the oldest supported one; nothing was changed.
 */
public class UnsupportedServerException extends StorageException {
    public UnsupportedServerException(String message) {
        super(message);
    }
}
