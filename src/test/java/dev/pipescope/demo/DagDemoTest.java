package dev.pipescope.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.Pipescope;
import dev.pipescope.domain.DagStore;
import dev.pipescope.domain.ExecutionStateType;
import dev.pipescope.domain.ExecutionTree;
import dev.pipescope.domain.SnapshotInfo;
import dev.pipescope.error.InvalidArgumentException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DagDemoTest {
    @TempDir
    Path dir;

    /** Everything but snapshot times, which come from the store's clock. */
    private static List<Object> contents(DagStore dags) {
        var result = new ArrayList<Object>();
        for (var dag : dags.dagIds()) {
            result.add(dag);
            result.add(dags.loadCache(dag));
            result.add(dags.loadExecutionTree(dag));
            for (var info : dags.listSnapshots(dag)) {
                result.add(dags.loadSnapshot(dag, info.id()));
            }
            result.add(dags.loadExecutionState(dag, ExecutionStateType.ACTIVE).map(b -> new String(b, StandardCharsets.UTF_8)));
            result.add(dags.loadExecutionState(dag, ExecutionStateType.PENDING).map(b -> new String(b, StandardCharsets.UTF_8)));
        }
        return result;
    }

    @Test
    void theSameSeedGivesTheSameDataInEveryStore() {
        try (var memory = Pipescope.inMemory(); var other = Pipescope.inMemory();
             var db = Pipescope.open(dir.resolve("demo.db"))) {
            DagDemo.populate(memory.dags(), new Random(42), 10, 3);
            DagDemo.populate(db.dags(), new Random(42), 10, 3);
            assertEquals(contents(memory.dags()), contents(db.dags()));
            DagDemo.populate(other.dags(), new Random(43), 10, 3);
            assertFalse(contents(memory.dags()).equals(contents(other.dags())));
        }
    }

    @Test
    void dagsLookLikeDaggersWithFailuresRetriesAndGrowingSnapshots() {
        var db = Pipescope.inMemory();
        var dags = db.dags();
        DagDemo.populate(dags, new Random(7), 12, 4);
        var ids = dags.dagIds();
        assertEquals(12, ids.size());
        assertTrue(ids.contains("nightly_report") && ids.contains("nightly_report_2"), ids.toString());
        int failedDags = 0;
        int retriedNodes = 0;
        for (var dag : ids) {
            ExecutionTree tree = dags.loadExecutionTree(dag).orElseThrow();
            assertEquals(tree.nodes().size() - 1, tree.edges().size());
            retriedNodes += tree.retried().size();
            var cache = dags.loadCache(dag);
            var snapshots = dags.listSnapshots(dag);
            assertEquals(4, snapshots.size());
            assertTrue(snapshots.stream().allMatch(SnapshotInfo::readable));
            var counts = snapshots.stream().map(s -> s.nodeCount().orElseThrow()).toList();
            for (int i = 1; i < counts.size(); i++) {
                assertTrue(counts.get(i) >= counts.get(i - 1), dag + " " + counts);
            }
            assertEquals(cache, dags.loadLatestSnapshot(dag).orElseThrow());
            var active = new String(dags.loadExecutionState(dag, ExecutionStateType.ACTIVE).orElseThrow(),
                    StandardCharsets.UTF_8);
            var pending = dags.loadExecutionState(dag, ExecutionStateType.PENDING);
            if (!tree.failed().isEmpty()) {
                failedDags++;
                var failed = tree.failed().get(0);
                assertEquals(tree.nodes().get(tree.nodes().size() - 1), failed);
                assertTrue(failed.finalError().isPresent());
                assertFalse(cache.nodeIds().contains(failed.nodeId()));
                assertTrue(active.contains("Failed"), active);
                assertTrue(new String(pending.orElseThrow(), StandardCharsets.UTF_8).contains(failed.nodeId()));
            } else {
                assertEquals(tree.nodes().size(), cache.nodeIds().size());
                assertTrue(active.contains("Running"), active);
                assertTrue(pending.isEmpty());
            }
        }
        assertTrue(failedDags > 0 && failedDags < 12, "failed DAGs: " + failedDags);
        assertTrue(retriedNodes > 0, "retried nodes: " + retriedNodes);
        assertEquals(12, dags.summary().size());
    }

    @Test
    void badArgumentsAreRefused() {
        var dags = Pipescope.inMemory().dags();
        assertThrows(InvalidArgumentException.class, () -> DagDemo.populate(dags, new Random(1), -1, 2));
        assertThrows(InvalidArgumentException.class, () -> DagDemo.populate(dags, null, 1, 2));
        assertThrows(InvalidArgumentException.class, () -> DagDemo.populate(null, new Random(1), 1, 2));
        assertTrue(dags.dagIds().isEmpty());
        DagDemo.populate(dags, new Random(1), 0, 0);
        assertTrue(dags.dagIds().isEmpty());
    }
}
