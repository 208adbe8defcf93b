package dev.pipescope.kernel;

import java.util.List;

/**
 * An exception thrown by the cell's code. It is reported under the thrown exception's own simple
 * name (e.g. {@code IllegalStateException}) with its stack trimmed to the user's frames.
 */
public final class UserCodeError extends CellError {

    private final String exceptionName;

    public UserCodeError(String exceptionName, String message, List<String> traceback) {
        super(message, traceback);
        this.exceptionName = exceptionName;
    }

    @Override
    public String ename() {
        return exceptionName;
    }
}
