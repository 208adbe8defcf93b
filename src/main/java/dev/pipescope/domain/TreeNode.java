package dev.pipescope.domain;

import dev.pipescope.error.InvalidArgumentException;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

/**
 * One executed node of a DAG run, as dagger records it in an execution tree.
 *
 * @param index         the node's index in the tree (what edges refer to)
 * @param nodeId        the DAG node's id
 * @param success       whether the node finally succeeded
 * @param retryMessages one message per failed attempt before the last
 * @param finalError    the error the node ended with, when it failed
 * @param cacheRef      where its outputs are in the cache ({@code dag/node})
 * @param timestamp     when it ran; dagger writes these without a zone
 * @param channel       the channel it ran on, if any
 * @param messageId     the message that triggered it, if any
 */
public record TreeNode(int index, String nodeId, boolean success, List<String> retryMessages,
                       Optional<String> finalError, String cacheRef, LocalDateTime timestamp,
                       Optional<String> channel, Optional<String> messageId) {

    public TreeNode {
        if (index < 0) {
            throw new InvalidArgumentException("tree node index " + index + " is negative");
        }
        if (nodeId == null || nodeId.isEmpty()) {
            throw new InvalidArgumentException("tree node " + index + " has no node id");
        }
        if (cacheRef == null) {
            throw new InvalidArgumentException("tree node '" + nodeId + "' has a null cache ref");
        }
        if (timestamp == null) {
            throw new InvalidArgumentException("tree node '" + nodeId + "' has no timestamp");
        }
        retryMessages = List.copyOf(retryMessages == null ? List.of() : retryMessages);
        finalError = finalError == null ? Optional.empty() : finalError;
        channel = channel == null ? Optional.empty() : channel;
        messageId = messageId == null ? Optional.empty() : messageId;
    }

    /** A node that succeeded at the first attempt. */
    public static TreeNode succeeded(int index, String nodeId, String cacheRef, LocalDateTime timestamp) {
        return new TreeNode(index, nodeId, true, List.of(), Optional.empty(), cacheRef, timestamp,
                Optional.empty(), Optional.empty());
    }

    /** How many attempts the node took (retries plus the last one). */
    public int attempts() {
        return retryMessages.size() + 1;
    }
}
