package dev.pipescope.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.Zstd;
import dev.pipescope.Pipescope;
import dev.pipescope.PipescopeDatabase;
import dev.pipescope.domain.DagCache;
import dev.pipescope.domain.DagStore;
import dev.pipescope.domain.ExecutionTree;
import dev.pipescope.domain.TreeEdge;
import dev.pipescope.domain.TreeNode;
import dev.pipescope.source.dagger.Blobs;
import dev.pipescope.source.dagger.DaggerFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The dagger store against a baseline written by hand in the same run: raw JDBC, zstd-jni and Jackson
 * doing the same work (same file settings, same 1 MB cache, same payload format).
 *
 * <pre>
 * mvn -Pbench -DskipTests package
 * java -jar target/benchmarks.jar DagBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DagBenchmark {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DAG = "bench";

    private Path dir;
    private PipescopeDatabase db;
    private DagStore dags;
    private Connection raw;
    private DagCache cache;
    /** The same cache in dagger's snapshot form, built once: the baseline serialises it directly. */
    private ObjectNode upstreamForm;
    private byte[] treeBlob;
    private long rawSequence;

    @Setup(Level.Trial)
    public void setUp() throws IOException, SQLException {
        dir = Files.createTempDirectory("dag-bench");
        db = Pipescope.open(dir.resolve("pipescope.db"));
        dags = db.dags();
        // the baseline's file gets the same schema (and WAL) from the same migration, then plain JDBC
        Pipescope.open(dir.resolve("baseline.db")).close();
        raw = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("baseline.db"));
        try (var st = raw.createStatement()) {
            st.execute("PRAGMA journal_mode = WAL");
            st.execute("PRAGMA synchronous = NORMAL");
        }
        cache = oneMegabyteCache(new Random(42));
        upstreamForm = MAPPER.createObjectNode();
        cache.entries().forEach((node, keys) -> {
            var n = upstreamForm.putObject(node);
            keys.forEach((k, v) -> n.putObject(k).set("value", v));
        });
        // one snapshot in each file for the load benchmarks
        dags.saveSnapshot(DAG, cache);
        baselineSaveSnapshot();
        var tree = tree(new Random(7), 100);
        dags.saveExecutionTree(DAG, tree);
        treeBlob = DaggerFormat.encodeTree(tree);
        try (var ps = raw.prepareStatement("INSERT INTO execution_trees (dag_id, tree_data) VALUES (?, ?)")) {
            ps.setString(1, DAG);
            ps.setBytes(2, treeBlob);
            ps.executeUpdate();
        }
        System.out.printf("%n[setup] snapshot raw JSON %d bytes, stored %d bytes; tree blob %d bytes%n",
                dags.listSnapshots(DAG).get(0).rawBytes().orElseThrow(), dags.listSnapshots(DAG).get(0).compressedBytes(),
                treeBlob.length);
    }

    /** Saves grow the table; start each iteration from the one snapshot the load benchmarks read. */
    @Setup(Level.Iteration)
    public void trimSnapshots() throws SQLException {
        trim(raw);
        db.close();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("pipescope.db"))) {
            trim(c);
        }
        db = Pipescope.open(dir.resolve("pipescope.db"));
        dags = db.dags();
    }

    private static void trim(Connection c) throws SQLException {
        try (var st = c.createStatement()) {
            st.executeUpdate("DELETE FROM snapshots WHERE id > (SELECT MIN(id) FROM snapshots)");
            st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException, SQLException {
        db.close();
        raw.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    // ---- snapshot save -------------------------------------------------------------------------

    @Benchmark
    public Object snapshotSave_pipescope() {
        return dags.saveSnapshot(DAG, cache);
    }

    @Benchmark
    public Object snapshotSave_baseline() throws IOException, SQLException {
        return baselineSaveSnapshot();
    }

    private int baselineSaveSnapshot() throws IOException, SQLException {
        byte[] json = MAPPER.writeValueAsBytes(upstreamForm);
        byte[] blob = Zstd.compress(Zstd.compress(json, 3), 3);
        var createdAt = Instant.now().toString() + (rawSequence++);
        try (var ps = raw.prepareStatement("INSERT INTO snapshots (dag_id, snapshot_data, created_at) VALUES (?, ?, ?)")) {
            ps.setString(1, DAG);
            ps.setBytes(2, blob);
            ps.setString(3, createdAt);
            return ps.executeUpdate();
        }
    }

    // ---- snapshot load -------------------------------------------------------------------------

    @Benchmark
    public Object snapshotLoad_pipescope() {
        return dags.loadLatestSnapshot(DAG).orElseThrow();
    }

    @Benchmark
    public Object snapshotLoad_baseline() throws IOException, SQLException {
        byte[] blob;
        try (var ps = raw.prepareStatement(
                "SELECT snapshot_data FROM snapshots WHERE dag_id = ? ORDER BY created_at DESC LIMIT 1")) {
            ps.setString(1, DAG);
            try (var rs = ps.executeQuery()) {
                rs.next();
                blob = rs.getBytes(1);
            }
        }
        byte[] inner = Zstd.decompress(blob, (int) Zstd.getFrameContentSize(blob));
        byte[] json = Zstd.decompress(inner, (int) Zstd.getFrameContentSize(inner));
        JsonNode root = MAPPER.readTree(json);
        Map<String, Map<String, JsonNode>> result = new HashMap<>();
        root.fields().forEachRemaining(node -> {
            var keys = new HashMap<String, JsonNode>();
            node.getValue().fields().forEachRemaining(k -> keys.put(k.getKey(), k.getValue().get("value")));
            result.put(node.getKey(), keys);
        });
        return result;
    }

    // ---- execution tree decode ----------------------------------------------------------------

    @Benchmark
    public Object treeLoad_pipescope() {
        return dags.loadExecutionTree(DAG).orElseThrow();
    }

    @Benchmark
    public Object treeLoad_baseline() throws IOException, SQLException {
        byte[] blob;
        try (var ps = raw.prepareStatement("SELECT tree_data FROM execution_trees WHERE dag_id = ?")) {
            ps.setString(1, DAG);
            try (var rs = ps.executeQuery()) {
                rs.next();
                blob = rs.getBytes(1);
            }
        }
        return baselineDecodeTree(blob);
    }

    @Benchmark
    public Object treeDecode_pipescope() {
        return DaggerFormat.decodeTree(treeBlob, Blobs.DEFAULT_MAX_DECODED_BYTES, "bench");
    }

    @Benchmark
    public Object treeDecode_baseline() throws IOException {
        return baselineDecodeTree(treeBlob);
    }

    /** Decompress, parse, and pick out the same fields the model has (no validation). */
    private static Object baselineDecodeTree(byte[] blob) throws IOException {
        byte[] json = Zstd.decompress(blob, (int) Zstd.getFrameContentSize(blob));
        JsonNode root = MAPPER.readTree(json);
        var nodes = new ArrayList<Object[]>();
        for (var entry : root.get("nodes")) {
            var n = entry.get(1);
            var outcome = n.get("outcome");
            var retries = new ArrayList<String>();
            outcome.get("retry_messages").forEach(m -> retries.add(m.asText()));
            nodes.add(new Object[] {entry.get(0).intValue(), n.get("node_id").asText(), outcome.get("success").asBoolean(),
                    retries, outcome.get("final_error").asText(null), n.get("cache_ref").asText(),
                    LocalDateTime.parse(n.get("timestamp").asText()), n.get("channel").asText(null),
                    n.get("message_id").asText(null)});
        }
        var edges = new ArrayList<Object[]>();
        for (var entry : root.get("edges")) {
            edges.add(new Object[] {entry.get(0).intValue(), entry.get(1).intValue(), entry.get(2).get("parent").asText(),
                    entry.get(2).get("label").asText()});
        }
        return List.of(nodes, edges);
    }

    // ---- data -----------------------------------------------------------------------------------

    /** 180 nodes x 10 keys of mixed JSON, about 1 MB serialised. */
    static DagCache oneMegabyteCache(Random random) {
        var f = JsonNodeFactory.instance;
        var builder = DagCache.builder();
        for (int n = 0; n < 180; n++) {
            for (int k = 0; k < 10; k++) {
                JsonNode value = switch (k % 4) {
                    case 0 -> {
                        var list = f.arrayNode();
                        for (int i = 0; i < 100; i++) {
                            list.add(random.nextInt(1_000_000));
                        }
                        yield list;
                    }
                    case 1 -> {
                        var object = f.objectNode();
                        for (int i = 0; i < 30; i++) {
                            object.put("field" + i, random.nextDouble());
                        }
                        yield object;
                    }
                    case 2 -> f.textNode("s3://bucket/node" + n + "/" + Long.toHexString(random.nextLong()).repeat(20));
                    default -> f.numberNode(random.nextLong());
                };
                builder.put("node" + n, "key" + k, value);
            }
        }
        return builder.build();
    }

    static ExecutionTree tree(Random random, int size) {
        var nodes = new ArrayList<TreeNode>();
        var edges = new ArrayList<TreeEdge>();
        var time = LocalDateTime.of(2025, 9, 22, 12, 0);
        for (int i = 0; i < size; i++) {
            var retries = random.nextInt(5) == 0 ? List.of("attempt 1 failed: timeout after 30s") : List.<String>of();
            nodes.add(new TreeNode(i, "node" + i, random.nextInt(10) != 0, retries,
                    random.nextInt(10) == 0 ? Optional.of("node failed after 2 attempts") : Optional.empty(),
                    "bench/node" + i, time.plusNanos(random.nextInt(1_000_000_000)),
                    random.nextBoolean() ? Optional.of("default") : Optional.empty(), Optional.empty()));
            if (i > 0) {
                edges.add(new TreeEdge(i - 1, i, "node" + (i - 1), TreeEdge.EXECUTED_AFTER));
            }
            time = time.plusSeconds(7);
        }
        return new ExecutionTree(nodes, edges);
    }
}
