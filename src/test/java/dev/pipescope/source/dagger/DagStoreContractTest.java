package dev.pipescope.source.dagger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.github.luben.zstd.Zstd;
import dev.pipescope.domain.DagCache;
import dev.pipescope.domain.DagStore;
import dev.pipescope.domain.ExecutionStateType;
import dev.pipescope.domain.ExecutionTree;
import dev.pipescope.domain.SnapshotInfo;
import dev.pipescope.domain.TreeEdge;
import dev.pipescope.domain.TreeNode;
import dev.pipescope.error.CorruptDataException;
import dev.pipescope.error.InvalidArgumentException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DagStore} must do, whatever holds the data. Subclasses supply the store; the
 * store's clock is {@link #clock}, which tests move by hand.
 */
public abstract class DagStoreContractTest {
    protected static final ObjectMapper PLAIN = new ObjectMapper();
    protected static final Instant T0 = Instant.parse("2025-09-22T12:20:00.123456789Z");

    /** A clock the tests set. */
    protected static final class TestClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(T0);

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        void advance(Duration by) {
            now.updateAndGet(t -> t.plus(by));
        }
    }

    protected final TestClock clock = new TestClock();
    protected DagStore dags;

    /** A fresh, empty store using {@code clock} and decoding at most {@code maxDecodedBytes} per payload. */
    protected abstract DagStore newStore(Clock clock, long maxDecodedBytes);

    @BeforeEach
    void createStore() {
        dags = newStore(clock, 64L << 20);
    }

    protected static JsonNode json(String text) {
        try {
            return PLAIN.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    protected static DagCache sampleCache() {
        return DagCache.builder()
                .put("fetch", "output", json("{\"rows\":15475,\"ok\":true}"))
                .put("fetch", "rows_in", IntNode.valueOf(71471))
                .put("parse", "output", NullNode.getInstance())
                .put("parse", "ratio", json("58.007"))
                .put("store", "path", TextNode.valueOf("s3://bucket/ünïcode/€.parquet"))
                .put("store", "list", json("[1,2,[3,{\"a\":null}]]"))
                .put("store", "big", json("12345678901234567890"))
                .build();
    }

    protected static ExecutionTree sampleTree() {
        var t = LocalDateTime.of(2025, 9, 22, 12, 20, 0, 361_798_912);
        return new ExecutionTree(List.of(
                new TreeNode(0, "fetch", true, List.of(), Optional.empty(), "nightly/fetch", t,
                        Optional.of("default"), Optional.empty()),
                new TreeNode(1, "parse", true, List.of("attempt 1 failed: timeout after 30s"), Optional.empty(),
                        "nightly/parse", t.plusSeconds(7).withNano(5_000_000), Optional.empty(), Optional.of("m-17")),
                new TreeNode(2, "store", false, List.of("attempt 1 failed: disk full", "attempt 2 failed: disk full"),
                        Optional.of("node failed after 3 attempts"), "nightly/store", t.plusSeconds(14).withNano(0),
                        Optional.empty(), Optional.empty())),
                List.of(new TreeEdge(0, 1, "fetch", TreeEdge.EXECUTED_AFTER),
                        new TreeEdge(1, 2, "parse", TreeEdge.EXECUTED_AFTER)));
    }

    @Test
    void snapshotsCanBeStampedWithAGivenTimeAndStillNeverCollide() {
        var at = Instant.parse("2025-01-02T03:04:05.123456789Z");
        var first = dags.saveSnapshot("replay", sampleCache(), at);
        assertEquals(java.util.Optional.of(at), first.createdAt());
        // a time before the latest one moves to just after it, as with the clock
        var second = dags.saveSnapshot("replay", sampleCache(), at.minusSeconds(60));
        assertEquals(java.util.Optional.of(at.plusNanos(1)), second.createdAt());
        assertEquals(java.util.List.of(first.id(), second.id()),
                dags.listSnapshots("replay").stream().map(SnapshotInfo::id).toList());
        assertEquals(java.util.Optional.of(sampleCache()), dags.loadSnapshot("replay", at));
    }

    @Test
    void anEmptyStoreHoldsNothingAndSaysSoWithoutErrors() {
        assertEquals(List.of(), dags.dagIds());
        assertEquals(List.of(), dags.summary());
        assertTrue(dags.loadCache("none").isEmpty());
        assertEquals(List.of(), dags.listSnapshots("none"));
        assertEquals(Optional.empty(), dags.loadSnapshot("none", 1L));
        assertEquals(Optional.empty(), dags.loadSnapshot("none", T0));
        assertEquals(Optional.empty(), dags.loadExecutionState("none", ExecutionStateType.PENDING));
    }

    // ---- cache ----------------------------------------------------------------------------------

    @Test
    void cacheRoundTripsEveryKindOfJsonValue() {
        dags.saveCache("nightly", sampleCache());
        var loaded = dags.loadCache("nightly");
        assertEquals(sampleCache(), loaded);
        assertEquals(7, loaded.size());
        assertEquals("DagCache[3 nodes, 7 entries]", loaded.toString());
        assertEquals(json("[1,2,[3,{\"a\":null}]]"), loaded.get("store", "list").orElseThrow());
        assertTrue(loaded.get("parse", "output").orElseThrow().isNull());
        assertEquals("12345678901234567890", loaded.get("store", "big").orElseThrow().asText());
    }

    @Test
    void saveCacheReplacesTheWholeCacheOfThatDagOnly() {
        dags.saveCache("nightly", sampleCache());
        dags.saveCache("other", sampleCache());
        var replacement = DagCache.builder().put("only", "one", IntNode.valueOf(1)).build();
        dags.saveCache("nightly", replacement);
        assertEquals(replacement, dags.loadCache("nightly"));
        assertEquals(sampleCache(), dags.loadCache("other"));
        dags.saveCache("nightly", DagCache.empty());
        assertTrue(dags.loadCache("nightly").isEmpty());
    }

    @Test
    void deltaUpsertsOnlyTheChangedEntries() {
        dags.saveCache("nightly", sampleCache());
        dags.saveCacheDelta("nightly", DagCache.builder()
                .put("fetch", "rows_in", IntNode.valueOf(1))
                .put("notify", "sent", json("true"))
                .build());
        var loaded = dags.loadCache("nightly");
        assertEquals(8, loaded.size());
        assertEquals(IntNode.valueOf(1), loaded.get("fetch", "rows_in").orElseThrow());
        assertEquals(json("true"), loaded.get("notify", "sent").orElseThrow());
        assertEquals(json("{\"rows\":15475,\"ok\":true}"), loaded.get("fetch", "output").orElseThrow());
    }

    @Test
    void getAndSetJsonByNodeAndKey() {
        assertEquals(Optional.empty(), dags.getJson("nightly", "fetch", "rows"));
        dags.setJson("nightly", "fetch", "rows", IntNode.valueOf(42));
        dags.setJson("nightly", "fetch", "path/with/slashes", TextNode.valueOf("x"));
        dags.setJson("nightly", "fetch", "nothing", null);
        assertEquals(IntNode.valueOf(42), dags.getJson("nightly", "fetch", "rows").orElseThrow());
        assertEquals(TextNode.valueOf("x"), dags.getJson("nightly", "fetch", "path/with/slashes").orElseThrow());
        assertTrue(dags.getJson("nightly", "fetch", "nothing").orElseThrow().isNull());
        dags.setJson("nightly", "fetch", "rows", IntNode.valueOf(43));
        assertEquals(IntNode.valueOf(43), dags.getJson("nightly", "fetch", "rows").orElseThrow());
        assertEquals(Optional.empty(), dags.getJson("other", "fetch", "rows"));
    }

    @Test
    void valuesHandedOutAreCopies() {
        var value = (com.fasterxml.jackson.databind.node.ObjectNode) json("{\"a\":1}");
        dags.setJson("nightly", "n", "k", value);
        value.put("a", 2);
        var read = (com.fasterxml.jackson.databind.node.ObjectNode) dags.getJson("nightly", "n", "k").orElseThrow();
        assertEquals(json("{\"a\":1}"), read);
        read.put("a", 3);
        assertEquals(json("{\"a\":1}"), dags.getJson("nightly", "n", "k").orElseThrow());

        var saved = (com.fasterxml.jackson.databind.node.ObjectNode) json("{\"b\":1}");
        dags.saveCache("other", DagCache.builder().put("n", "k", saved).build());
        dags.saveSnapshot("other", DagCache.builder().put("n", "k", saved).build());
        saved.put("b", 2);
        assertEquals(json("{\"b\":1}"), dags.loadCache("other").get("n", "k").orElseThrow());
        assertEquals(json("{\"b\":1}"), dags.loadLatestSnapshot("other").orElseThrow().get("n", "k").orElseThrow());
    }

    @Test
    void badArgumentsAreRefusedAndChangeNothing() {
        dags.saveCache("nightly", sampleCache());
        assertThrows(InvalidArgumentException.class, () -> dags.saveCache("", sampleCache()));
        assertThrows(InvalidArgumentException.class, () -> dags.saveCache(null, sampleCache()));
        assertThrows(InvalidArgumentException.class, () -> dags.saveCache("nightly", null));
        assertThrows(InvalidArgumentException.class, () -> dags.setJson("nightly", "", "k", IntNode.valueOf(1)));
        assertThrows(InvalidArgumentException.class, () -> dags.getJson("nightly", "n", null));
        assertThrows(InvalidArgumentException.class, () -> dags.saveExecutionTree("nightly", null));
        assertThrows(InvalidArgumentException.class, () -> dags.saveExecutionState("nightly", null, new byte[1]));
        assertThrows(InvalidArgumentException.class,
                () -> dags.saveExecutionState("nightly", ExecutionStateType.ACTIVE, null));
        assertThrows(InvalidArgumentException.class, () -> dags.loadSnapshot("nightly", (Instant) null));
        assertEquals(sampleCache(), dags.loadCache("nightly"));
        assertEquals(List.of("nightly"), dags.dagIds());
    }

    // ---- execution trees ------------------------------------------------------------------------

    @Test
    void executionTreeRoundTripsWithItsGraph() {
        assertEquals(Optional.empty(), dags.loadExecutionTree("nightly"));
        dags.saveExecutionTree("nightly", sampleTree());
        var tree = dags.loadExecutionTree("nightly").orElseThrow();
        assertEquals(sampleTree(), tree);
        assertEquals(List.of("store"), tree.failed().stream().map(TreeNode::nodeId).toList());
        assertEquals(List.of("parse", "store"), tree.retried().stream().map(TreeNode::nodeId).toList());
        assertEquals(3, tree.node(2).orElseThrow().attempts());
        assertEquals(List.of("parse"), tree.next(0).stream().map(TreeNode::nodeId).toList());
    }

    @Test
    void savingATreeReplacesTheOldOneAndDaggerLowerCaseNamesAreFound() {
        dags.saveExecutionTree("nightly", sampleTree());
        var single = new ExecutionTree(List.of(TreeNode.succeeded(0, "only", "nightly/only",
                LocalDateTime.of(2025, 1, 1, 0, 0))), List.of());
        dags.saveExecutionTree("nightly", single);
        assertEquals(single, dags.loadExecutionTree("nightly").orElseThrow());
        assertEquals(single, dags.loadExecutionTree("Nightly").orElseThrow());
        assertEquals(Optional.empty(), dags.loadExecutionTree("nightly2"));
    }

    @Test
    void aTreeWhoseEdgesPointNowhereCannotBeBuilt() {
        var node = TreeNode.succeeded(0, "a", "d/a", LocalDateTime.of(2025, 1, 1, 0, 0));
        assertThrows(InvalidArgumentException.class,
                () -> new ExecutionTree(List.of(node), List.of(new TreeEdge(0, 5, "a", TreeEdge.EXECUTED_AFTER))));
        assertThrows(InvalidArgumentException.class, () -> new ExecutionTree(List.of(node, node), List.of()));
    }

    // ---- snapshots ------------------------------------------------------------------------------

    @Test
    void snapshotsAreListedInOrderAndLoadByIdTimeAndLatest() {
        assertEquals(Optional.empty(), dags.loadLatestSnapshot("nightly"));
        var first = DagCache.builder().put("fetch", "output", IntNode.valueOf(1)).build();
        var second = sampleCache();
        var s1 = dags.saveSnapshot("nightly", first);
        clock.advance(Duration.ofSeconds(30));
        var s2 = dags.saveSnapshot("nightly", second);
        dags.saveSnapshot("other", first);

        var listed = dags.listSnapshots("nightly");
        assertEquals(List.of(s1.id(), s2.id()), listed.stream().map(SnapshotInfo::id).toList());
        assertEquals(List.of(Optional.of(T0), Optional.of(T0.plusSeconds(30))),
                listed.stream().map(SnapshotInfo::createdAt).toList());
        assertEquals("2025-09-22T12:20:00.123456789Z", listed.get(0).createdAtText());
        assertEquals(1, listed.get(0).nodeCount().orElseThrow());
        assertEquals(3, listed.get(1).nodeCount().orElseThrow());
        assertTrue(listed.stream().allMatch(SnapshotInfo::readable));
        assertEquals(s2, listed.get(1));

        assertEquals(second, dags.loadLatestSnapshot("nightly").orElseThrow());
        assertEquals(first, dags.loadSnapshot("nightly", s1.id()).orElseThrow());
        assertEquals(Optional.empty(), dags.loadSnapshot("nightly", 999_999L));
        assertEquals(first, dags.loadSnapshot("nightly", T0.plusSeconds(29)).orElseThrow());
        assertEquals(second, dags.loadSnapshot("nightly", T0.plusSeconds(30)).orElseThrow());
        assertEquals(Optional.empty(), dags.loadSnapshot("nightly", T0.minusNanos(1)));
    }

    @Test
    void everySnapshotIsHandedOnOnceOldestFirstWithItsListing() {
        var caches = new java.util.ArrayList<DagCache>();
        for (int i = 0; i < 5; i++) {
            caches.add(DagCache.builder().put("fetch", "output", IntNode.valueOf(i)).put("n" + i, "k", IntNode.valueOf(i)).build());
            dags.saveSnapshot("nightly", caches.get(i));
            clock.advance(Duration.ofSeconds(10));
        }
        dags.saveSnapshot("other", sampleCache());
        var infos = new java.util.ArrayList<SnapshotInfo>();
        var seen = new java.util.ArrayList<DagCache>();
        dags.forEachSnapshot("nightly", (info, cache) -> {
            infos.add(info);
            seen.add(cache);
        });
        assertEquals(caches, seen);
        assertEquals(dags.listSnapshots("nightly"), infos);
        for (var info : infos) {
            assertEquals(dags.loadSnapshot("nightly", info.id()).orElseThrow(), seen.get(infos.indexOf(info)));
        }
        var none = new java.util.ArrayList<SnapshotInfo>();
        dags.forEachSnapshot("no-such-dag", (info, cache) -> none.add(info));
        assertTrue(none.isEmpty());
        assertThrows(InvalidArgumentException.class, () -> dags.forEachSnapshot("nightly", null));
    }

    @Test
    void snapshotSizesAreThoseOfTheStoredBytes() {
        var info = dags.saveSnapshot("nightly", sampleCache());
        // independent: serialise the upstream form with plain Jackson and compress twice with zstd-jni
        var wrapped = PLAIN.createObjectNode();
        sampleCache().entries().forEach((node, keys) -> {
            var n = wrapped.putObject(node);
            keys.forEach((k, v) -> n.putObject(k).set("value", v));
        });
        byte[] raw = wrapped.toString().getBytes(StandardCharsets.UTF_8);
        assertEquals(raw.length, info.rawBytes().orElseThrow());
        assertEquals(info, dags.listSnapshots("nightly").get(0));
        var summary = dags.summary().get(0);
        assertEquals(info.compressedBytes(), summary.snapshotBytes());
    }

    @Test
    void snapshotsTakenAtTheSameInstantNeverCollideAndStayInOrder() {
        var caches = new java.util.ArrayList<DagCache>();
        for (int i = 0; i < 20; i++) {
            var cache = DagCache.builder().put("n", "i", IntNode.valueOf(i)).build();
            caches.add(cache);
            dags.saveSnapshot("nightly", cache);
        }
        var listed = dags.listSnapshots("nightly");
        assertEquals(20, listed.size());
        for (int i = 1; i < listed.size(); i++) {
            assertTrue(listed.get(i).createdAt().orElseThrow().isAfter(listed.get(i - 1).createdAt().orElseThrow()));
        }
        assertEquals(caches.get(19), dags.loadLatestSnapshot("nightly").orElseThrow());
        assertEquals(caches.get(7), dags.loadSnapshot("nightly", listed.get(7).id()).orElseThrow());
    }

    @Test
    void aClockThatGoesBackStillMakesTheNewSnapshotTheLatest() {
        clock.advance(Duration.ofHours(1));
        dags.saveSnapshot("nightly", DagCache.builder().put("n", "k", IntNode.valueOf(1)).build());
        clock.advance(Duration.ofHours(-2));
        var newer = DagCache.builder().put("n", "k", IntNode.valueOf(2)).build();
        var info = dags.saveSnapshot("nightly", newer);
        assertEquals(T0.plus(Duration.ofHours(1)).plusNanos(1), info.createdAt().orElseThrow());
        assertEquals(newer, dags.loadLatestSnapshot("nightly").orElseThrow());
    }

    @Test
    void aSnapshotLargerThanTheDecodeLimitIsReportedNotLoaded() {
        var small = newStore(clock, 10_000);
        var builder = DagCache.builder();
        for (int i = 0; i < 500; i++) {
            builder.put("node" + i, "output", TextNode.valueOf("x".repeat(100)));
        }
        var ok = small.saveSnapshot("nightly", DagCache.builder().put("n", "k", IntNode.valueOf(1)).build());
        clock.advance(Duration.ofSeconds(1));
        var big = small.saveSnapshot("nightly", builder.build());
        var listed = small.listSnapshots("nightly");
        assertEquals(2, listed.size());
        assertTrue(listed.get(0).readable());
        assertFalse(listed.get(1).readable());
        assertEquals(big.id(), listed.get(1).id());
        assertTrue(listed.get(1).problem().orElseThrow().contains("limit of 10000 bytes"),
                listed.get(1).problem().orElseThrow());
        var error = assertThrows(CorruptDataException.class, () -> small.loadLatestSnapshot("nightly"));
        assertTrue(error.getMessage().contains("snapshots row " + big.id()), error.getMessage());
        assertTrue(error.getMessage().contains("dag 'nightly'"), error.getMessage());
        assertEquals(1, small.loadSnapshot("nightly", ok.id()).orElseThrow().size());
    }

    // ---- execution state --------------------------------------------------------------------------

    @Test
    void executionStateRoundTripsAndEmptyMeansNone() {
        assertEquals(Optional.empty(), dags.loadExecutionState("nightly", ExecutionStateType.ACTIVE));
        byte[] active = "{\"status\":\"Running\",\"task\":\"nightly\"}".getBytes(StandardCharsets.UTF_8);
        dags.saveExecutionState("nightly", ExecutionStateType.ACTIVE, active);
        dags.saveExecutionState("nightly", ExecutionStateType.PENDING, new byte[0]);
        assertArrayEquals(active, dags.loadExecutionState("nightly", ExecutionStateType.ACTIVE).orElseThrow());
        assertEquals(Optional.empty(), dags.loadExecutionState("nightly", ExecutionStateType.PENDING));
        byte[] replaced = {1, 2, 3};
        dags.saveExecutionState("nightly", ExecutionStateType.ACTIVE, replaced);
        assertArrayEquals(replaced, dags.loadExecutionState("nightly", ExecutionStateType.ACTIVE).orElseThrow());
        // a payload that is itself zstd comes back as stored: exactly one layer is removed
        byte[] compressed = Zstd.compress(active, 3);
        dags.saveExecutionState("nightly", ExecutionStateType.PENDING, compressed);
        assertArrayEquals(compressed, dags.loadExecutionState("nightly", ExecutionStateType.PENDING).orElseThrow());
    }

    // ---- summary ----------------------------------------------------------------------------------

    @Test
    void summaryCountsWhatEachDagHolds() {
        dags.saveCache("nightly", sampleCache());
        dags.saveExecutionTree("nightly", sampleTree());
        var s1 = dags.saveSnapshot("nightly", sampleCache());
        var s2 = dags.saveSnapshot("nightly", DagCache.empty());
        byte[] active = "{\"status\":\"Running\",\"task\":\"nightly\"}".getBytes(StandardCharsets.UTF_8);
        dags.saveExecutionState("nightly", ExecutionStateType.ACTIVE, active);
        dags.saveExecutionState("nightly", ExecutionStateType.PENDING, new byte[0]);
        dags.setJson("other", "n", "k", IntNode.valueOf(1));

        assertEquals(List.of("nightly", "other"), dags.dagIds());
        var summary = dags.summary();
        assertEquals(2, summary.size());
        var nightly = summary.get(0);
        assertEquals("nightly", nightly.dagId());
        assertEquals(7, nightly.artifactCount());
        assertTrue(nightly.treeBytes().orElseThrow() > 20);
        assertEquals(2, nightly.snapshotCount());
        assertEquals(s1.compressedBytes() + s2.compressedBytes(), nightly.snapshotBytes());
        assertEquals(Map.of("active", (long) Zstd.compress(active, 3).length, "pending", 9L), nightly.stateBytes());
        var other = summary.get(1);
        assertEquals(1, other.artifactCount());
        assertTrue(other.treeBytes().isEmpty());
        assertEquals(0, other.snapshotCount());
        assertEquals(Map.of(), other.stateBytes());
    }
}
