package dev.pipescope.kernel;

import java.util.List;

/** The cell did not compile (or ended in the middle of a statement). */
public final class CompileError extends CellError {
    public CompileError(String message, List<String> traceback) {
        super(message, traceback);
    }
}
