package dev.pipescope.error;

/**
 * A database server refused the credentials: a wrong password, an unknown role, or no rule that lets the
 * role connect to the database. The message names the role, host and database, never the password;
 * nothing was changed.
 */
public class AuthenticationFailedException extends StorageException {
    public AuthenticationFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
