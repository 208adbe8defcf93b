package dev.pipescope.error;

/**
 * The call is well-formed, but the thing it acts on is not in a state that allows it: finishing a run
 * that already ended, ending a run as "running". Nothing was changed.
 */
public class IllegalStateTransitionException extends PipescopeException {
    public IllegalStateTransitionException(String message) {
        super(message);
    }
}
