package dev.pipescope.error;

/**
 * A database server could not be reached: nothing answers at its host and port, the network dropped the
 * connection, or the server is shutting down. The message names the host, port and database (never a
 * password); nothing was changed.
 */
public class ServerUnreachableException extends StorageException {
    public ServerUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
