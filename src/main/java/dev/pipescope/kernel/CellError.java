package dev.pipescope.kernel;

import java.util.List;

/**
 * A cell that failed. Jupyter shows {@link #ename()} as the error's name, so each subclass is named
 * for what the user sees ("CompileError: ...", "Interrupted: ...").
 */
public abstract class CellError extends RuntimeException {

    private final List<String> traceback;

    protected CellError(String message, List<String> traceback) {
        super(message, null, false, false);
        this.traceback = List.copyOf(traceback);
    }

    /** The name shown in the notebook. */
    public String ename() {
        return getClass().getSimpleName();
    }

    /** The lines shown under the error, already pointing at cell lines. */
    public List<String> traceback() {
        return traceback;
    }
}
