package dev.pipescope.kernel;

import java.util.List;

/** The user interrupted the cell; the kernel and its variables are still there. */
public final class Interrupted extends CellError {
    public Interrupted(String message) {
        super(message, List.of("Interrupted: " + message));
    }
}
