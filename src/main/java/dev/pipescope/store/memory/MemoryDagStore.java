package dev.pipescope.store.memory;

import static dev.pipescope.store.sqlite.DaggerFormat.requireName;
import static dev.pipescope.store.sqlite.DaggerFormat.where;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipescope.domain.DagCache;
import dev.pipescope.domain.DagStore;
import dev.pipescope.domain.DagSummary;
import dev.pipescope.domain.ExecutionStateType;
import dev.pipescope.domain.ExecutionTree;
import dev.pipescope.domain.SnapshotInfo;
import dev.pipescope.domain.Timestamps;
import dev.pipescope.error.CorruptDataException;
import dev.pipescope.error.InvalidArgumentException;
import dev.pipescope.store.codec.Blobs;
import dev.pipescope.store.sqlite.DaggerFormat;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * {@link DagStore} in plain collections. It keeps the very bytes dagger's tables would hold (value
 * text, compressed trees, snapshots and state), so sizes, ordering and decoding match the SQLite store.
 */
public final class MemoryDagStore implements DagStore {
    private static final String FILE = "memory";

    private record SnapshotRow(long id, String dagId, String createdAt, byte[] data) {}

    /** dag id, then node id, then key: the {"value": ...} text. */
    private final Map<String, TreeMap<String, TreeMap<String, String>>> artifacts = new HashMap<>();
    private final Map<String, byte[]> trees = new HashMap<>();
    private final Map<String, List<SnapshotRow>> snapshots = new HashMap<>();
    /** dag id, then state type column: the compressed payload. */
    private final Map<String, TreeMap<String, byte[]>> states = new HashMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Clock clock;
    private final long maxDecodedBytes;
    private long lastSnapshotId;

    public MemoryDagStore() {
        this(Clock.systemUTC(), Blobs.DEFAULT_MAX_DECODED_BYTES);
    }

    public MemoryDagStore(Clock clock, long maxDecodedBytes) {
        this.clock = clock;
        this.maxDecodedBytes = maxDecodedBytes;
    }

    @Override
    public List<String> dagIds() {
        return read(() -> {
            var ids = new TreeSet<String>();
            artifacts.forEach((id, nodes) -> {
                if (!nodes.isEmpty()) {
                    ids.add(id);
                }
            });
            ids.addAll(trees.keySet());
            snapshots.forEach((id, rows) -> {
                if (!rows.isEmpty()) {
                    ids.add(id);
                }
            });
            ids.addAll(states.keySet());
            return List.copyOf(ids);
        });
    }

    @Override
    public void saveCache(String dagId, DagCache cache) {
        requireName(dagId, "DAG id");
        requireCache(cache);
        var encoded = encode(cache);
        write(() -> artifacts.put(dagId, encoded));
    }

    @Override
    public void saveCacheDelta(String dagId, DagCache delta) {
        requireName(dagId, "DAG id");
        requireCache(delta);
        var encoded = encode(delta);
        write(() -> {
            var nodes = artifacts.computeIfAbsent(dagId, d -> new TreeMap<>());
            encoded.forEach((node, keys) -> nodes.computeIfAbsent(node, n -> new TreeMap<>()).putAll(keys));
            return null;
        });
    }

    private static TreeMap<String, TreeMap<String, String>> encode(DagCache cache) {
        var result = new TreeMap<String, TreeMap<String, String>>();
        cache.entries().forEach((node, keys) -> keys.forEach((key, value) -> result
                .computeIfAbsent(node, n -> new TreeMap<>()).put(key, DaggerFormat.encodeValue(value))));
        return result;
    }

    @Override
    public DagCache loadCache(String dagId) {
        requireName(dagId, "DAG id");
        var stored = read(() -> copy(artifacts.get(dagId)));
        var builder = DagCache.builder();
        stored.forEach((node, keys) -> keys.forEach((key, text) -> builder.put(node, key,
                DaggerFormat.decodeValue(text, "artifacts of dag '" + dagId + "' in memory, node '" + node
                        + "' key '" + key + "'"))));
        return builder.build();
    }

    private static TreeMap<String, TreeMap<String, String>> copy(TreeMap<String, TreeMap<String, String>> nodes) {
        var result = new TreeMap<String, TreeMap<String, String>>();
        if (nodes != null) {
            nodes.forEach((node, keys) -> result.put(node, new TreeMap<>(keys)));
        }
        return result;
    }

    @Override
    public Optional<JsonNode> getJson(String dagId, String nodeId, String key) {
        requireName(dagId, "DAG id");
        requireName(nodeId, "node id");
        requireName(key, "key");
        var text = read(() -> Optional.ofNullable(artifacts.get(dagId)).map(n -> n.get(nodeId)).map(k -> k.get(key)));
        return text.map(t -> DaggerFormat.decodeValue(t, "artifacts of dag '" + dagId + "' in memory, node '"
                + nodeId + "' key '" + key + "'"));
    }

    @Override
    public void setJson(String dagId, String nodeId, String key, JsonNode value) {
        requireName(dagId, "DAG id");
        requireName(nodeId, "node id");
        requireName(key, "key");
        var text = DaggerFormat.encodeValue(value);
        write(() -> artifacts.computeIfAbsent(dagId, d -> new TreeMap<>())
                .computeIfAbsent(nodeId, n -> new TreeMap<>()).put(key, text));
    }

    @Override
    public void saveExecutionTree(String dagId, ExecutionTree tree) {
        requireName(dagId, "DAG id");
        if (tree == null) {
            throw new InvalidArgumentException("execution tree of DAG '" + dagId + "' is null");
        }
        var blob = DaggerFormat.encodeTree(tree);
        write(() -> trees.put(dagId, blob));
    }

    @Override
    public Optional<ExecutionTree> loadExecutionTree(String dagId) {
        requireName(dagId, "DAG id");
        var lower = dagId.toLowerCase(Locale.ROOT);
        record Found(String dagId, byte[] data) {}
        var found = read(() -> {
            if (trees.containsKey(dagId)) {
                return Optional.of(new Found(dagId, trees.get(dagId)));
            }
            return Optional.ofNullable(trees.get(lower)).map(data -> new Found(lower, data));
        });
        return found.map(f -> DaggerFormat.decodeTree(f.data(), maxDecodedBytes,
                "execution tree of dag '" + f.dagId() + "' in memory"));
    }

    @Override
    public SnapshotInfo saveSnapshot(String dagId, DagCache cache) {
        return saveSnapshot(dagId, cache, null);
    }

    @Override
    public SnapshotInfo saveSnapshot(String dagId, DagCache cache, Instant at) {
        requireName(dagId, "DAG id");
        requireCache(cache);
        var encoded = DaggerFormat.encodeSnapshot(cache);
        return write(() -> {
            var rows = snapshots.computeIfAbsent(dagId, d -> new ArrayList<>());
            var latest = rows.stream().max(ORDER).map(SnapshotRow::createdAt);
            var time = DaggerFormat.nextSnapshotTime(at != null ? at : clock.instant(), latest);
            var text = DaggerFormat.snapshotTimeText(time, false);
            var row = new SnapshotRow(++lastSnapshotId, dagId, text, encoded.blob());
            rows.add(row);
            return new SnapshotInfo(row.id(), dagId, Optional.of(time), text, encoded.blob().length,
                    OptionalLong.of(encoded.rawBytes()), OptionalInt.of(cache.nodeIds().size()), Optional.empty());
        });
    }

    /** As the SQLite store orders: by the created_at text, then id. */
    private static final Comparator<SnapshotRow> ORDER =
            Comparator.comparing(SnapshotRow::createdAt).thenComparingLong(SnapshotRow::id);

    private List<SnapshotRow> rows(String dagId) {
        return read(() -> snapshots.getOrDefault(dagId, List.of()).stream().sorted(ORDER).toList());
    }

    @Override
    public Optional<DagCache> loadLatestSnapshot(String dagId) {
        requireName(dagId, "DAG id");
        var rows = rows(dagId);
        return rows.isEmpty() ? Optional.empty() : Optional.of(decode(rows.get(rows.size() - 1)));
    }

    @Override
    public List<SnapshotInfo> listSnapshots(String dagId) {
        requireName(dagId, "DAG id");
        return rows(dagId).stream().map(r -> DaggerFormat.describe(r.id(), dagId, r.createdAt(), r.data(),
                maxDecodedBytes, where("snapshots", r.id(), dagId, FILE))).toList();
    }

    @Override
    public void forEachSnapshot(String dagId, java.util.function.BiConsumer<SnapshotInfo, DagCache> action) {
        requireName(dagId, "DAG id");
        if (action == null) {
            throw new InvalidArgumentException("snapshot action is null");
        }
        for (var r : rows(dagId)) {
            var listed = DaggerFormat.decodeListed(r.id(), dagId, r.createdAt(), r.data(), maxDecodedBytes,
                    where("snapshots", r.id(), dagId, FILE));
            action.accept(listed.info(), listed.cache());
        }
    }

    @Override
    public Optional<DagCache> loadSnapshot(String dagId, long id) {
        requireName(dagId, "DAG id");
        return rows(dagId).stream().filter(r -> r.id() == id).findFirst().map(this::decode);
    }

    @Override
    public Optional<DagCache> loadSnapshot(String dagId, Instant time) {
        requireName(dagId, "DAG id");
        if (time == null) {
            throw new InvalidArgumentException("snapshot time is null");
        }
        SnapshotRow best = null;
        Instant bestTime = null;
        for (var row : rows(dagId)) {
            var at = Timestamps.parse(row.createdAt());
            if (!at.isAfter(time) && (bestTime == null || !at.isBefore(bestTime))) {
                best = row;
                bestTime = at;
            }
        }
        return Optional.ofNullable(best).map(this::decode);
    }

    private DagCache decode(SnapshotRow row) {
        return DaggerFormat.decodeSnapshot(row.data(), maxDecodedBytes, where("snapshots", row.id(), row.dagId(), FILE));
    }

    @Override
    public void saveExecutionState(String dagId, ExecutionStateType type, byte[] payload) {
        requireName(dagId, "DAG id");
        if (type == null) {
            throw new InvalidArgumentException("execution state type is null");
        }
        var blob = DaggerFormat.encodeState(payload);
        write(() -> states.computeIfAbsent(dagId, d -> new TreeMap<>()).put(type.column(), blob));
    }

    @Override
    public Optional<byte[]> loadExecutionState(String dagId, ExecutionStateType type) {
        requireName(dagId, "DAG id");
        if (type == null) {
            throw new InvalidArgumentException("execution state type is null");
        }
        var blob = read(() -> Optional.ofNullable(states.get(dagId)).map(s -> s.get(type.column())));
        return blob.flatMap(b -> DaggerFormat.decodeState(b, maxDecodedBytes,
                type.column() + " execution state of dag '" + dagId + "' in memory"));
    }

    @Override
    public List<DagSummary> summary() {
        return read(() -> dagIds().stream().map(id -> {
            var nodes = artifacts.getOrDefault(id, new TreeMap<>());
            long artifactCount = nodes.values().stream().mapToLong(Map::size).sum();
            var tree = trees.get(id);
            var rows = snapshots.getOrDefault(id, List.of());
            var stateSizes = new TreeMap<String, Long>();
            states.getOrDefault(id, new TreeMap<>()).forEach((type, blob) -> stateSizes.put(type, (long) blob.length));
            return new DagSummary(id, artifactCount, tree == null ? OptionalLong.empty() : OptionalLong.of(tree.length),
                    rows.size(), rows.stream().mapToLong(r -> r.data().length).sum(), stateSizes);
        }).toList());
    }

    private static void requireCache(DagCache cache) {
        if (cache == null) {
            throw new InvalidArgumentException("cache is null");
        }
    }

    private <T> T read(Supplier<T> work) {
        lock.readLock().lock();
        try {
            return work.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    private <T> T write(Supplier<T> work) {
        lock.writeLock().lock();
        try {
            return work.get();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
