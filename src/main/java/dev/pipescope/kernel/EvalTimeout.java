package dev.pipescope.kernel;

import java.util.List;

/** The cell ran longer than the evaluation timeout and was stopped. */
public final class EvalTimeout extends CellError {
    public EvalTimeout(String message) {
        super(message, List.of("EvalTimeout: " + message));
    }
}
