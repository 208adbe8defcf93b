package dev.pipescope.source.dagger;

import dev.pipescope.domain.Run;
import dev.pipescope.domain.RunFilter;
import dev.pipescope.domain.RunSource;
import dev.pipescope.domain.RunStatus;
import dev.pipescope.source.RunReader;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Node outcomes from dagger's execution trees as unified runs. A tree holds one time per node, when its
 * outcome was recorded: it becomes the run's end; start and duration stay unknown. Attempts are the
 * node's retry messages + 1. Runs carry the DAG name as given ({@code DeepResearch}), not the
 * lower-cased id dagger stores the tree under ({@code deepresearch}): see {@link DagNames}.
 */
public final class DaggerRuns implements RunReader {
    private final String file;

    DaggerRuns(String file) {
        this.file = file;
    }

    @Override
    public RunSource source() {
        return RunSource.DAGGER;
    }

    @Override
    public List<Run> read(Handle h, RunFilter filter) {
        var runs = new ArrayList<Run>();
        var trees = h.createQuery(DaggerRunSql.TREES).map((rs, ctx) -> Map.entry(rs.getString(1), rs.getBytes(2)))
                .list();
        var names = new DagNames(h.createQuery(DaggerRunSql.NAMED_DAG_IDS).mapTo(String.class).list(),
                trees.stream().map(Map.Entry::getKey).toList());
        trees.forEach(tree -> runs.addAll(tree(tree.getKey(), names.runDagName(tree.getKey()), tree.getValue())));
        return runs;
    }

    /**
     * The runs of one stored tree (its zstd blob as dagger wrote it), shown under {@code dagId}: the DAG
     * name as given, where dagger stored the tree under its lower-cased form {@code treeId}.
     */
    private List<Run> tree(String treeId, String dagId, byte[] compressed) {
        var where = "execution_trees row '" + treeId + "' in " + file;
        // the DAG store's decoder: the same format rules, and bounded however large the blob claims to be
        var tree = DaggerFormat.decodeTree(compressed == null ? new byte[0] : compressed,
                Blobs.DEFAULT_MAX_DECODED_BYTES, where);
        var runs = new ArrayList<Run>();
        for (var node : tree.nodes()) {
            var retries = node.retryMessages();
            var error = node.finalError().orElse(null);
            if (!node.success() && error == null && !retries.isEmpty()) {
                error = retries.get(retries.size() - 1);
            }
            var id = dagId + "/" + node.nodeId();
            runs.add(new Run(RunSource.DAGGER, id, dagId, id, node.success() ? RunStatus.SUCCEEDED : RunStatus.FAILED,
                    node.success() ? "success" : "failure", null, node.timestamp().toInstant(ZoneOffset.UTC), null,
                    retries.size() + 1, error, Map.of("retries", (double) retries.size())));
        }
        return runs;
    }
}
