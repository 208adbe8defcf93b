package dev.pipescope.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.pipescope.domain.DagCache;
import dev.pipescope.domain.DagStore;
import dev.pipescope.domain.ExecutionStateType;
import dev.pipescope.domain.ExecutionTree;
import dev.pipescope.domain.TreeEdge;
import dev.pipescope.domain.TreeNode;
import dev.pipescope.error.InvalidArgumentException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Demo data in the shape dagger writes: DAGs of chained nodes with cached outputs, an execution tree
 * in which some nodes needed retries and some DAGs failed part-way, a series of snapshots as the cache
 * filled up, and active/pending execution state. The same {@link Random} seed gives the same data
 * (snapshot times come from the store's clock).
 *
 * <pre>{@code
 * DagDemo.populate(db.dags(), new Random(42), 5, 4);
 * }</pre>
 */
public final class DagDemo {
    private static final List<String> NAMES = List.of("nightly_report", "train_model", "etl_daily",
            "ingest_orders", "sync_users", "backfill_events", "score_leads", "export_invoices");
    private static final List<String> STAGES = List.of("fetch", "parse", "validate", "enrich", "aggregate",
            "store", "index", "notify");
    private static final List<String> FAILURES = List.of("timeout after 30s", "connection reset by peer",
            "rate limited (429)", "disk quota exceeded");
    private static final LocalDateTime START = LocalDateTime.of(2025, 9, 22, 12, 0);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private DagDemo() {}

    /**
     * Writes {@code dagCount} DAGs, each with its artifacts, execution tree, {@code snapshotsPerDag}
     * snapshots and execution state, into {@code dags}.
     */
    public static void populate(DagStore dags, Random random, int dagCount, int snapshotsPerDag) {
        if (dags == null || random == null) {
            throw new InvalidArgumentException((dags == null ? "DAG store" : "random") + " is null");
        }
        if (dagCount < 0 || snapshotsPerDag < 0) {
            throw new InvalidArgumentException("DAG count " + dagCount + " and snapshots per DAG " + snapshotsPerDag
                    + " must not be negative");
        }
        for (int d = 0; d < dagCount; d++) {
            var base = NAMES.get(d % NAMES.size());
            var dag = d < NAMES.size() ? base : base + "_" + (d / NAMES.size() + 1);
            populateOne(dags, random, dag, START.plusMinutes(10L * d), snapshotsPerDag);
        }
    }

    private static void populateOne(DagStore dags, Random random, String dag, LocalDateTime start, int snapshots) {
        var prefix = dag.split("_")[0];
        int nodeCount = 4 + random.nextInt(STAGES.size() - 3);
        // about one DAG in four stops at a failed node
        int failedAt = random.nextInt(4) == 0 ? 1 + random.nextInt(nodeCount - 1) : -1;
        int ran = failedAt < 0 ? nodeCount : failedAt + 1;

        var nodes = new ArrayList<TreeNode>();
        var edges = new ArrayList<TreeEdge>();
        var outputs = new ArrayList<DagCache>();
        var time = start.plusNanos(random.nextInt(1_000_000_000));
        for (int i = 0; i < ran; i++) {
            var nodeId = prefix + "_" + STAGES.get(i);
            boolean failed = i == failedAt;
            int retries = failed ? 2 : random.nextInt(6) == 0 ? 1 : 0;
            var messages = new ArrayList<String>();
            var cause = FAILURES.get(random.nextInt(FAILURES.size()));
            for (int r = 1; r <= retries; r++) {
                messages.add("attempt " + r + " failed: " + cause);
            }
            nodes.add(new TreeNode(i, nodeId, !failed, messages,
                    failed ? Optional.of("node failed after " + (retries + 1) + " attempts") : Optional.empty(),
                    dag + "/" + nodeId, time, random.nextBoolean() ? Optional.of("default") : Optional.empty(),
                    Optional.empty()));
            if (i > 0) {
                edges.add(new TreeEdge(i - 1, i, nodes.get(i - 1).nodeId(), TreeEdge.EXECUTED_AFTER));
            }
            if (!failed) {
                var output = DagCache.builder().put(nodeId, "output", value(random, dag, nodeId));
                if (i > 0) {
                    output.put(nodeId, "rows_in", JSON.numberNode(1_000 + random.nextInt(99_000)));
                }
                outputs.add(output.build());
            }
            time = time.plusSeconds(5 + random.nextInt(10)).plusNanos(random.nextInt(1_000_000_000));
        }

        var cache = merge(outputs, outputs.size());
        dags.saveCache(dag, cache);
        dags.saveExecutionTree(dag, new ExecutionTree(nodes, edges));
        // the cache as it filled up, ending with the whole of it; stamped from the tree's times (not the
        // clock) so the same seed makes the same snapshots
        var end = time;
        for (int s = 1; s <= snapshots; s++) {
            int upTo = Math.max(1, (int) Math.ceil((double) outputs.size() * s / snapshots));
            var at = start.plus(java.time.Duration.between(start, end).multipliedBy(s).dividedBy(snapshots));
            dags.saveSnapshot(dag, merge(outputs, Math.min(upTo, outputs.size())), at.toInstant(java.time.ZoneOffset.UTC));
        }
        var active = "{\"status\":\"" + (failedAt < 0 ? "Running" : "Failed") + "\",\"task\":\"" + dag + "\"}";
        dags.saveExecutionState(dag, ExecutionStateType.ACTIVE, active.getBytes(StandardCharsets.UTF_8));
        var pending = failedAt < 0 ? "" : "[\"" + prefix + "_" + STAGES.get(failedAt) + "\"]";
        dags.saveExecutionState(dag, ExecutionStateType.PENDING, pending.getBytes(StandardCharsets.UTF_8));
    }

    private static DagCache merge(List<DagCache> outputs, int count) {
        var builder = DagCache.builder();
        for (var output : outputs.subList(0, count)) {
            output.entries().forEach((node, keys) -> keys.forEach((key, value) -> builder.put(node, key, value)));
        }
        return builder.build();
    }

    private static JsonNode value(Random random, String dag, String nodeId) {
        return switch (random.nextInt(6)) {
            case 0 -> JSON.numberNode(random.nextInt(1_000_000));
            case 1 -> JSON.numberNode(Math.round(random.nextDouble() * 100_000) / 1000.0);
            case 2 -> JSON.textNode("s3://bucket/" + dag + "/" + nodeId + ".parquet");
            case 3 -> JSON.objectNode().put("rows", random.nextInt(100_000)).put("ok", random.nextInt(5) != 0);
            case 4 -> {
                var list = JSON.arrayNode();
                for (int i = 0; i < 3 + random.nextInt(4); i++) {
                    list.add(random.nextInt(1000));
                }
                yield list;
            }
            default -> JSON.nullNode();
        };
    }
}
