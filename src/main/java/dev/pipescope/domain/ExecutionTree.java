package dev.pipescope.domain;

import dev.pipescope.error.InvalidArgumentException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The record of one DAG run: which nodes ran, how they ended, and in which order (dagger's
 * execution tree). Every edge joins two nodes of the tree; node indexes are unique.
 *
 * <pre>{@code
 * db.dags().loadExecutionTree("nightly_report").ifPresent(tree ->
 *     tree.failed().forEach(n -> System.out.println(n.nodeId() + ": " + n.finalError().orElse("?"))));
 * }</pre>
 */
public record ExecutionTree(List<TreeNode> nodes, List<TreeEdge> edges) {

    public ExecutionTree {
        nodes = List.copyOf(nodes == null ? List.of() : nodes);
        edges = List.copyOf(edges == null ? List.of() : edges);
        var indexes = new HashMap<Integer, TreeNode>();
        for (var node : nodes) {
            if (indexes.put(node.index(), node) != null) {
                throw new InvalidArgumentException("execution tree has two nodes with index " + node.index());
            }
        }
        for (var edge : edges) {
            if (!indexes.containsKey(edge.source()) || !indexes.containsKey(edge.target())) {
                throw new InvalidArgumentException("execution tree edge " + edge.source() + " -> " + edge.target()
                        + " refers to a node index the tree does not have (indexes: " + indexes.keySet() + ")");
            }
        }
    }

    /** The node with that index. */
    public Optional<TreeNode> node(int index) {
        return nodes.stream().filter(n -> n.index() == index).findFirst();
    }

    /** The nodes that did not succeed, in tree order. */
    public List<TreeNode> failed() {
        return nodes.stream().filter(n -> !n.success()).toList();
    }

    /** The nodes that needed more than one attempt, in tree order. */
    public List<TreeNode> retried() {
        return nodes.stream().filter(n -> !n.retryMessages().isEmpty()).toList();
    }

    /** The nodes that ran right after the node with index {@code index}. */
    public List<TreeNode> next(int index) {
        Map<Integer, TreeNode> byIndex = new HashMap<>();
        nodes.forEach(n -> byIndex.put(n.index(), n));
        var result = new ArrayList<TreeNode>();
        edges.stream().filter(e -> e.source() == index).forEach(e -> result.add(byIndex.get(e.target())));
        return result;
    }
}
