package dev.pipescope.ops;

import dev.pipescope.error.PipescopeException;

/** A backup failed validation (or does not fit the database), so nothing was restored or changed. */
public class InvalidBackupException extends PipescopeException {
    private final transient ValidationResult validation;

    public InvalidBackupException(String message, ValidationResult validation) {
        super(message);
        this.validation = validation;
    }

    /** Every check that ran, with what failed. */
    public ValidationResult validation() {
        return validation;
    }
}
