package dev.pipescope.source.dagger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How dagger names a DAG across its tables. Its executor stores and loads the execution tree under
 * the lower-cased DAG name ({@code DagExecutor::normalize_dag_name}, Rust's {@code to_lowercase}),
 * while artifacts, snapshots and execution state are keyed by the name as given. So a tree row
 * {@code deepresearch} belongs to the DAG {@code DeepResearch} when that name has other rows.
 *
 * <p>Rules: a DAG is a name in {@code artifacts}, {@code snapshots} or {@code execution_state}; its
 * tree is the row stored under its own name, else under its lower-cased name. A tree row whose id no
 * other row names, and that no name lower-cases to, is a DAG of its own. When several names lower-case
 * to the same tree row (e.g. {@code DeepResearch} and {@code DEEPRESEARCH}) each of them has that tree,
 * as in dagger; its runs keep the stored id then, since no single name owns them.
 *
 * <p>Java's {@code toLowerCase(Locale.ROOT)} and Rust's {@code to_lowercase} both apply Unicode's
 * default lower-case mapping, final sigma included.
 */
final class DagNames {
    private final Set<String> named;
    private final Map<String, List<String>> namesByTree;
    private final Set<String> trees;

    /**
     * @param named the DAG ids in artifacts, snapshots and execution state
     * @param trees the DAG ids in execution_trees
     */
    DagNames(Collection<String> named, Collection<String> trees) {
        this.named = new TreeSet<>(named);
        this.trees = new TreeSet<>(trees);
        this.namesByTree = new TreeMap<>();
        for (var name : this.named) {
            var tree = treeOf(name);
            if (tree != null) {
                namesByTree.computeIfAbsent(tree, t -> new ArrayList<>()).add(name);
            }
        }
    }

    static String lower(String dagId) {
        return dagId.toLowerCase(Locale.ROOT);
    }

    /** The tree row id a DAG name uses: its own name if stored, else its lower-cased name if stored. */
    private String treeOf(String name) {
        if (trees.contains(name)) {
            return name;
        }
        var lower = lower(name);
        return trees.contains(lower) ? lower : null;
    }

    /** Every DAG, sorted: the named ones and the trees no name claims. */
    List<String> dagIds() {
        var all = new TreeSet<>(named);
        for (var tree : trees) {
            if (!namesByTree.containsKey(tree)) {
                all.add(tree);
            }
        }
        return List.copyOf(all);
    }

    /** The DAGs a stored tree row belongs to (itself when no name claims it). */
    List<String> dagsOfTree(String treeId) {
        var names = namesByTree.get(treeId);
        return names == null ? List.of(treeId) : List.copyOf(names);
    }

    /** The one DAG name a tree row's runs are shown under: its sole claimant, else the stored id. */
    String runDagName(String treeId) {
        var names = dagsOfTree(treeId);
        return names.size() == 1 ? names.get(0) : treeId;
    }
}
