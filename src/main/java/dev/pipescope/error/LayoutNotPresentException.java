package dev.pipescope.error;

/** The database holds no tables of the layout a store needs (for example, no Hyperpage tables). */
public class LayoutNotPresentException extends PipescopeException {
    public LayoutNotPresentException(String message) {
        super(message);
    }

    public LayoutNotPresentException(String message, Throwable cause) {
        super(message, cause);
    }
}
