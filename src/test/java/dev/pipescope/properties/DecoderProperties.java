package dev.pipescope.properties;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.pipescope.domain.DagCache;
import dev.pipescope.domain.ExecutionStateType;
import dev.pipescope.domain.ExecutionTree;
import dev.pipescope.domain.TreeEdge;
import dev.pipescope.domain.TreeNode;
import dev.pipescope.error.PipescopeException;
import dev.pipescope.reliability.ReliabilityReport;
import dev.pipescope.source.dagger.Blobs;
import dev.pipescope.store.SqliteDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The DAG store's decoders (snapshots, execution trees, artifacts, execution state) on arbitrary
 * stored bytes: they return or throw a {@link PipescopeException}, nothing else, and always finish
 * within a time bound. The bytes are written into a real SQLite row and read back through
 * {@code db.dags()}, as a damaged file would be.
 */
class DecoderProperties {
    private static final String DAG = "fuzzed";
    private static final Duration BOUND = Duration.ofSeconds(10);
    /** Decodes that ended in a typed error, to show the generators reach the error paths. */
    static final AtomicLong REFUSED = new AtomicLong();
    static final AtomicLong DECODED = new AtomicLong();
    private static SqliteDatabase db;
    private static byte[] validSnapshot;
    private static byte[] validTree;

    @BeforeContainer
    static void open() {
        db = SqliteDatabase.memory();
        var cache = DagCache.builder().put("fetch", "rows", IntNode.valueOf(42))
                .put("fetch", "source", TextNode.valueOf("s3://bucket/key")).put("load", "rows", IntNode.valueOf(7)).build();
        db.dags().saveCache(DAG, cache);
        db.dags().saveSnapshot(DAG, cache);
        var at = LocalDateTime.of(2026, 11, 22, 5, 0);
        db.dags().saveExecutionTree(DAG, new ExecutionTree(List.of(
                new TreeNode(0, "fetch", true, List.of("timeout"), Optional.empty(), DAG + "/fetch", at, Optional.of("c"),
                        Optional.empty()),
                new TreeNode(1, "load", false, List.of(), Optional.of("disk full"), DAG + "/load", at.plusSeconds(1),
                        Optional.empty(), Optional.of("m1"))),
                List.of(new TreeEdge(0, 1, "fetch", "next"))));
        db.dags().saveExecutionState(DAG, ExecutionStateType.ACTIVE, "{\"running\":[\"load\"]}".getBytes(StandardCharsets.UTF_8));
        validSnapshot = column("SELECT snapshot_data FROM snapshots WHERE dag_id = 'fuzzed'");
        validTree = column("SELECT tree_data FROM execution_trees WHERE dag_id = 'fuzzed'");
    }

    @AfterContainer
    static void close() {
        db.close();
        ReliabilityReport.record("decoder-properties", """
                jqwik: arbitrary and near-valid bytes stored as snapshots, execution trees, artifacts and execution
                state of a real SQLite file and read back through `db.dags()` (and raw `Blobs`): the only failure is
                a `PipescopeException`, and every decode ends within the bound.""", java.util.Map.of(
                "decodes of generated payloads (snapshots, trees, artifacts, state, raw blobs)", DECODED.get() + REFUSED.get(),
                "of which refused with a PipescopeException", REFUSED.get(),
                "decodes allowed per payload before it counts as a hang, s", BOUND.toSeconds()));
    }

    @Property(tries = 300)
    void snapshotDecodingOnlyFailsTyped(@ForAll("snapshotPayloads") byte[] payload) {
        store("UPDATE snapshots SET snapshot_data = :b WHERE dag_id = 'fuzzed'", payload);
        decodes(() -> db.dags().loadLatestSnapshot(DAG));
        decodes(() -> db.dags().listSnapshots(DAG));
    }

    @Property(tries = 300)
    void treeDecodingOnlyFailsTyped(@ForAll("treePayloads") byte[] payload) {
        store("UPDATE execution_trees SET tree_data = :b WHERE dag_id = 'fuzzed'", payload);
        decodes(() -> db.dags().loadExecutionTree(DAG));
    }

    @Property(tries = 300)
    void artifactDecodingOnlyFailsTyped(@ForAll("artifactTexts") String value) {
        db.connections().write("fuzz an artifact", h -> h.createUpdate(
                "UPDATE artifacts SET value = :v WHERE dag_id = 'fuzzed' AND node_id = 'fetch' AND key = 'rows'")
                .bind("v", value).execute());
        decodes(() -> db.dags().getJson(DAG, "fetch", "rows"));
        decodes(() -> db.dags().loadCache(DAG));
    }

    @Property(tries = 200)
    void executionStateDecodingOnlyFailsTyped(@ForAll("treePayloads") byte[] payload) {
        store("UPDATE execution_state SET state_data = :b WHERE dag_id = 'fuzzed'", payload);
        decodes(() -> db.dags().loadExecutionState(DAG, ExecutionStateType.ACTIVE));
    }

    @Property(tries = 300)
    void blobDecodingOnlyFailsTyped(@ForAll("snapshotPayloads") byte[] payload) {
        for (var layers : Blobs.Layers.values()) {
            decodes(() -> Blobs.readJson(payload, layers, 1 << 20, "fuzzed blob", p -> p.readValueAsTree()));
        }
        decodes(() -> Blobs.decompress(payload, 1 << 20, "fuzzed blob"));
    }

    /** Runs a decode within the time bound; a typed error counts as a refusal, anything else fails the property. */
    private static void decodes(Supplier<?> decode) {
        assertTimeoutPreemptively(BOUND, () -> {
            try {
                decode.get();
                DECODED.incrementAndGet();
            } catch (PipescopeException refused) {
                REFUSED.incrementAndGet();
            }
        }, "a decode did not finish within " + BOUND);
    }

    private static void store(String sql, byte[] payload) {
        db.connections().write("fuzz a payload", h -> h.createUpdate(sql).bind("b", payload).execute());
    }

    private static byte[] column(String sql) {
        return db.connections().read("read a payload", h -> h.createQuery(sql).mapTo(byte[].class).one());
    }

    // ---- generators: mostly near-valid payloads, where decoders have the most paths to get wrong

    private static Arbitrary<byte[]> anyBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
    }

    /** A valid payload with a few bytes changed, truncated or extended. */
    private static Arbitrary<byte[]> mutated(byte[] valid) {
        var flips = Arbitraries.integers().between(0, valid.length - 1).list().ofMinSize(1).ofMaxSize(4);
        var flipped = flips.map(positions -> {
            var copy = valid.clone();
            positions.forEach(p -> copy[p] ^= (byte) (1 + p % 255));
            return copy;
        });
        var truncated = Arbitraries.integers().between(0, valid.length - 1)
                .map(n -> java.util.Arrays.copyOf(valid, n));
        var extended = anyBytes().map(tail -> {
            var copy = java.util.Arrays.copyOf(valid, valid.length + tail.length);
            System.arraycopy(tail, 0, copy, valid.length, tail.length);
            return copy;
        });
        return Arbitraries.oneOf(flipped, truncated, extended);
    }

    /** Valid zstd around arbitrary or almost-JSON text: the JSON reader sees the damage, not zstd. */
    private static Arbitrary<byte[]> zstdOfText() {
        var jsonish = Arbitraries.strings().withChars("{}[]\":,0123456789.eE-+ truefalsnl\\u").ofMaxLength(80);
        return Arbitraries.oneOf(anyBytes(), jsonish.map(s -> s.getBytes(StandardCharsets.UTF_8)))
                .map(Blobs::compress);
    }

    @Provide
    Arbitrary<byte[]> snapshotPayloads() {
        return Arbitraries.oneOf(anyBytes(), mutated(validSnapshot), zstdOfText(), zstdOfText().map(Blobs::compress),
                mutated(Blobs.compress(validSnapshot)));
    }

    @Provide
    Arbitrary<byte[]> treePayloads() {
        return Arbitraries.oneOf(anyBytes(), mutated(validTree), zstdOfText());
    }

    @Provide
    Arbitrary<String> artifactTexts() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(60),
                Arbitraries.strings().withChars("{}[]\":,0123456789.eE-+ truefalsnl\\u").ofMaxLength(60));
    }
}
