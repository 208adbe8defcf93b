package dev.pipescope.domain;

import dev.pipescope.error.InvalidArgumentException;

/**
 * An edge of an execution tree: {@code target} ran after {@code source}.
 *
 * @param source the index of the node that ran first
 * @param target the index of the node that ran after it
 * @param parent the node id of the source, as dagger records it
 * @param label  what the edge means; dagger writes {@value #EXECUTED_AFTER}
 */
public record TreeEdge(int source, int target, String parent, String label) {
    public static final String EXECUTED_AFTER = "executed_after";

    public TreeEdge {
        if (parent == null || label == null) {
            throw new InvalidArgumentException("tree edge " + source + " -> " + target + " has a null "
                    + (parent == null ? "parent" : "label"));
        }
    }
}
