package dev.pipescope.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipescope.domain.DagCache;
import dev.pipescope.domain.DagSummary;
import dev.pipescope.domain.ExecutionTree;
import dev.pipescope.domain.Layout;
import dev.pipescope.domain.SnapshotInfo;
import dev.pipescope.domain.TreeNode;
import dev.pipescope.error.NotFoundException;
import tech.tablesaw.api.Table;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/** Tables of the dagger DAG engine's state: DAGs, snapshots, artifacts, execution trees and snapshot diffs. */
final class DaggerTables {

    /** Longest value text in snapshot and artifact tables ({@code json} keeps it whole). */
    static final int COMPACT_VALUE_CHARS = 60;

    private final CurrentDatabase current;

    DaggerTables(CurrentDatabase current) {
        this.current = current;
    }

    Table dags() {
        current.require(Layout.DAGGER, "dags()");
        return new TableBuilder<DagSummary>("dags")
                .string("dag", DagSummary::dagId)
                .longs("artifacts", DagSummary::artifactCount)
                .longs("tree_bytes", s -> s.treeBytes().isPresent() ? s.treeBytes().getAsLong() : null)
                .longs("snapshots", DagSummary::snapshotCount)
                .longs("snapshot_bytes", DagSummary::snapshotBytes)
                .string("state", s -> s.stateBytes().isEmpty() ? "" : new TreeMap<>(s.stateBytes()).keySet().toString())
                .build(current.db().dags().summary());
    }

    Table snapshots(String dag) {
        current.require(Layout.DAGGER, "snapshots(dag)");
        return new TableBuilder<SnapshotInfo>("snapshots of " + dag)
                .longs("id", SnapshotInfo::id)
                .instant("created_at", s -> s.createdAt().orElse(null))
                .longs("compressed_bytes", SnapshotInfo::compressedBytes)
                .longs("raw_bytes", s -> s.rawBytes().isPresent() ? s.rawBytes().getAsLong() : null)
                .longs("nodes", s -> s.nodeCount().isPresent() ? (long) s.nodeCount().getAsInt() : null)
                .string("problem", s -> s.problem().orElse(null))
                .build(current.db().dags().listSnapshots(dag));
    }

    /** @throws NotFoundException when the DAG has no snapshot, naming the DAGs there are */
    Table snapshot(String dag) {
        current.require(Layout.DAGGER, "snapshot(dag)");
        DagCache cache = current.db().dags().loadLatestSnapshot(dag).orElseThrow(() -> new NotFoundException(
                "DAG '" + dag + "' has no snapshot (DAGs: " + current.db().dags().dagIds() + ")"));
        return cacheTable("snapshot of " + dag, cache);
    }

    Table snapshot(String dag, long id) {
        return cacheTable("snapshot " + id + " of " + dag, loadSnapshot(dag, id));
    }

    /**
     * The snapshot in force at {@code time}: the newest taken at or before it. The title names its id and
     * when it was taken.
     *
     * @throws NotFoundException when the DAG has no snapshot at or before {@code time}, naming its first
     */
    Table snapshot(String dag, Instant time) {
        current.require(Layout.DAGGER, "snapshot(dag, time)");
        if (time == null) {
            throw new dev.pipescope.error.InvalidArgumentException("snapshot(dag, time) needs a time, got null");
        }
        List<SnapshotInfo> all = current.db().dags().listSnapshots(dag);
        SnapshotInfo inForce = null;
        for (SnapshotInfo info : all) {
            if (info.createdAt().isPresent() && !info.createdAt().get().isAfter(time)
                    && (inForce == null || !info.createdAt().get().isBefore(inForce.createdAt().get()))) {
                inForce = info;
            }
        }
        if (inForce == null) {
            throw new NotFoundException("DAG '" + dag + "' has no snapshot at or before " + Formats.TIME.format(time)
                    + (all.isEmpty() ? " (it has no snapshots; DAGs: " + current.db().dags().dagIds() + ")"
                    : " (its first was taken " + all.get(0).createdAtText() + ")"));
        }
        return cacheTable("snapshot " + inForce.id() + " of " + dag + " as of " + Formats.TIME.format(time)
                + " (in force since " + Formats.TIME.format(inForce.createdAt().get()) + ")", loadSnapshot(dag, inForce.id()));
    }

    private DagCache loadSnapshot(String dag, long id) {
        current.require(Layout.DAGGER, "snapshot(dag, id)");
        var dags = current.db().dags();
        return dags.loadSnapshot(dag, id).orElseThrow(() -> new NotFoundException("DAG '" + dag
                + "' has no snapshot " + id + " (snapshots: "
                + dags.listSnapshots(dag).stream().map(SnapshotInfo::id).toList() + ")"));
    }

    Table artifacts(String dag) {
        current.require(Layout.DAGGER, "artifacts(dag)");
        return cacheTable("artifacts of " + dag, current.db().dags().loadCache(dag));
    }

    /** One row per node and key of {@code cache}: type, compact value and whole JSON. */
    static Table cacheTable(String name, DagCache cache) {
        List<String[]> rows = new ArrayList<>();
        cache.entries().forEach((node, keys) -> keys.forEach((key, value) ->
                rows.add(new String[] {node, key, typeOf(value), compact(value), value.toString()})));
        return new TableBuilder<String[]>(name)
                .string("node", r -> r[0])
                .string("key", r -> r[1])
                .string("type", r -> r[2])
                .string("value", r -> r[3])
                .string("json", r -> r[4])
                .build(rows);
    }

    static String typeOf(JsonNode value) {
        return value.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    /** A value in one short line: scalars as they are, containers cut with their size noted. */
    static String compact(JsonNode value) {
        String text = value.isTextual() ? value.textValue() : value.toString();
        if (text.length() <= COMPACT_VALUE_CHARS) {
            return text;
        }
        String size = value.isArray() ? " (" + value.size() + " items)" : value.isObject() ? " (" + value.size() + " keys)" : "";
        return text.substring(0, COMPACT_VALUE_CHARS - 1) + "…" + size;
    }

    Table tree(String dag) {
        ExecutionTree tree = executionTree(dag);
        return new TableBuilder<TreeNode>("tree of " + dag)
                .ints("index", TreeNode::index)
                .string("node", TreeNode::nodeId)
                .string("status", DaggerTables::outcome)
                .ints("retries", n -> n.retryMessages().size())
                .string("error", n -> n.finalError().orElse(null))
                .instant("time", n -> n.timestamp().toInstant(ZoneOffset.UTC))
                .string("cache_ref", TreeNode::cacheRef)
                .build(tree.nodes());
    }

    /** @throws NotFoundException when the DAG has no execution tree, naming the DAGs there are */
    ExecutionTree executionTree(String dag) {
        current.require(Layout.DAGGER, "tree(dag)");
        return current.db().dags().loadExecutionTree(dag).orElseThrow(() -> new NotFoundException("DAG '" + dag
                + "' has no execution tree (DAGs: " + current.db().dags().dagIds() + ")"));
    }

    /** succeeded, retried (succeeded after retries) or failed. */
    static String outcome(TreeNode node) {
        if (!node.success()) {
            return "failed";
        }
        return node.retryMessages().isEmpty() ? "succeeded" : "retried";
    }

    Table diff(String dag, long a, long b) {
        DagCache before = loadSnapshot(dag, a);
        DagCache after = loadSnapshot(dag, b);
        List<String[]> rows = new ArrayList<>();
        TreeSet<String> nodes = new TreeSet<>(before.nodeIds());
        nodes.addAll(after.nodeIds());
        for (String node : nodes) {
            SortedMap<String, JsonNode> was = before.entries().getOrDefault(node, new TreeMap<>());
            SortedMap<String, JsonNode> now = after.entries().getOrDefault(node, new TreeMap<>());
            TreeSet<String> keys = new TreeSet<>(was.keySet());
            keys.addAll(now.keySet());
            for (String key : keys) {
                JsonNode old = was.get(key);
                JsonNode fresh = now.get(key);
                if (old == null) {
                    rows.add(new String[] {node, key, "added", null, compact(fresh)});
                } else if (fresh == null) {
                    rows.add(new String[] {node, key, "removed", compact(old), null});
                } else if (!old.equals(fresh)) {
                    rows.add(new String[] {node, key, "changed", compact(old), compact(fresh)});
                }
            }
        }
        return new TableBuilder<String[]>("diff of " + dag + " " + a + " → " + b)
                .string("node", r -> r[0])
                .string("key", r -> r[1])
                .string("change", r -> r[2])
                .string("before", r -> r[3])
                .string("after", r -> r[4])
                .build(rows);
    }
}
