package dev.pipescope.error;

import java.util.List;

/** A backup failed validation (or does not fit the database), so nothing was restored or changed. */
public class InvalidBackupException extends PipescopeException {
    private final List<String> failedChecks;

    /**
     * @param failedChecks the names of the checks that failed ({@code file}, {@code metadata}, {@code size},
     *                     {@code sha256}, {@code integrity}, {@code schema}); empty when the backup is valid but
     *                     does not fit the database
     */
    public InvalidBackupException(String message, List<String> failedChecks) {
        super(message);
        this.failedChecks = List.copyOf(failedChecks);
    }

    /** The names of the checks that failed, in the order they ran. */
    public List<String> failedChecks() {
        return failedChecks;
    }
}
