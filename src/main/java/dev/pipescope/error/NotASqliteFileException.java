package dev.pipescope.error;

/** The file is not a SQLite database (wrong header, empty where content was required, truncated). */
public class NotASqliteFileException extends PipescopeException {
    public NotASqliteFileException(String message) {
        super(message);
    }

    public NotASqliteFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
