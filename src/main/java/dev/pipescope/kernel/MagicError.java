package dev.pipescope.kernel;

import java.util.List;

/** A magic (%jars, %load, ...) was unknown or could not do what it was asked. */
public final class MagicError extends CellError {
    public MagicError(String message) {
        super(message, List.of("MagicError: " + message));
    }
}
