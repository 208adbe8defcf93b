package dev.pipescope.error;

/** A write failed for lack of room: the device is full, a quota or a file-size limit ({@code ulimit -f}) was hit. */
public class StorageFullException extends EnvironmentException {
    public StorageFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
