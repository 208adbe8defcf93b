package dev.pipescope.source.dagger;

import dev.pipescope.engine.EngineConnections;

import static dev.pipescope.source.dagger.DaggerFormat.requireName;
import static dev.pipescope.source.dagger.DaggerFormat.where;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipescope.domain.DagArtifact;
import dev.pipescope.domain.DagCache;
import dev.pipescope.domain.DagStore;
import dev.pipescope.domain.DagSummary;
import dev.pipescope.domain.ExecutionStateType;
import dev.pipescope.domain.ExecutionTree;
import dev.pipescope.domain.SnapshotInfo;
import dev.pipescope.domain.Timestamps;
import dev.pipescope.error.CorruptDataException;
import dev.pipescope.error.InvalidArgumentException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;

/**
 * {@link DagStore} over dagger's {@code SqliteCache} tables, in its current layout or its older one
 * (snapshots keyed by {@code (dag_id, created_at)}, no id column). The layout is read once, at first
 * use. Writing works in both: new snapshots in an older-layout file get that file's timestamp style
 * (see {@link DaggerFormat#snapshotTimeText}) and are listed by rowid, which a VACUUM of such a
 * file may renumber.
 */
public final class SqlDagStore implements DagStore {
    private final EngineConnections db;
    private final Clock clock;
    private final long maxDecodedBytes;
    private volatile Boolean legacySnapshots;

    SqlDagStore(EngineConnections connections) {
        this(connections, Clock.systemUTC(), Blobs.DEFAULT_MAX_DECODED_BYTES);
    }

    SqlDagStore(EngineConnections connections, Clock clock, long maxDecodedBytes) {
        this.db = connections;
        this.clock = clock;
        this.maxDecodedBytes = maxDecodedBytes;
    }

    /** True when the file's snapshots table is dagger's older layout (no id column). */
    public boolean legacySnapshotLayout() {
        var known = legacySnapshots;
        if (known == null) {
            known = db.read("read the snapshots layout",
                    h -> h.createQuery(DagSql.SNAPSHOT_ID_COLUMN).mapTo(Integer.class).one() == 0);
            legacySnapshots = known;
        }
        return known;
    }

    @Override
    public List<String> dagIds() {
        return db.read("list DAG ids", SqlDagStore::names).dagIds();
    }

    private static DagNames names(Handle h) {
        return new DagNames(h.createQuery(DagSql.NAMED_DAG_IDS).mapTo(String.class).list(),
                h.createQuery(DagSql.TREE_DAG_IDS).mapTo(String.class).list());
    }

    // ---- cache --------------------------------------------------------------------------------

    @Override
    public void saveCache(String dagId, DagCache cache) {
        requireName(dagId, "DAG id");
        requireCache(cache);
        db.write("replace the artifacts of DAG '" + dagId + "'", h -> {
            h.createUpdate(DagSql.DELETE_ARTIFACTS).bind("dagId", dagId).execute();
            writeEntries(h, DagSql.INSERT_ARTIFACT, dagId, cache);
            return null;
        });
    }

    @Override
    public void saveCacheDelta(String dagId, DagCache delta) {
        requireName(dagId, "DAG id");
        requireCache(delta);
        db.write("update " + delta.size() + " artifacts of DAG '" + dagId + "'", h -> {
            writeEntries(h, DagSql.UPSERT_ARTIFACT, dagId, delta);
            return null;
        });
    }

    private static void writeEntries(Handle h, String sql, String dagId, DagCache cache) {
        var batch = h.prepareBatch(sql);
        int rows = 0;
        for (var node : cache.entries().entrySet()) {
            for (var key : node.getValue().entrySet()) {
                batch.bind("dagId", dagId).bind("nodeId", node.getKey()).bind("key", key.getKey())
                        .bind("value", DaggerFormat.encodeValue(key.getValue())).add();
                rows++;
            }
        }
        if (rows > 0) {
            batch.execute();
        }
    }

    private record ArtifactRow(long rowId, String nodeId, String key, String value) {}

    @Override
    public DagCache loadCache(String dagId) {
        var builder = DagCache.builder();
        artifacts(dagId).forEach(artifact -> builder.put(artifact.nodeId(), artifact.key(), artifact.value()));
        return builder.build();
    }

    @Override
    public List<DagArtifact> artifacts(String dagId) {
        requireName(dagId, "DAG id");
        var rows = db.read("load the artifacts of DAG '" + dagId + "'", h -> h.createQuery(DagSql.LOAD_ARTIFACTS)
                .bind("dagId", dagId)
                .map((rs, ctx) -> new ArtifactRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                .list());
        // parsed outside the read transaction: the reader goes back to the pool sooner
        return rows.stream().map(row -> {
            var stored = DaggerFormat.readArtifact(row.value(), where("artifacts", row.rowId(), dagId, db.location())
                    + ", node '" + row.nodeId() + "' key '" + row.key() + "'");
            return new DagArtifact(dagId, row.nodeId(), row.key(), stored.form(), stored.value());
        }).toList();
    }

    @Override
    public Optional<JsonNode> getJson(String dagId, String nodeId, String key) {
        requireName(dagId, "DAG id");
        requireName(nodeId, "node id");
        requireName(key, "key");
        return db.read("read artifact " + nodeId + "/" + key + " of DAG '" + dagId + "'", h -> h
                .createQuery(DagSql.GET_ARTIFACT).bind("dagId", dagId).bind("nodeId", nodeId).bind("key", key)
                .map((rs, ctx) -> DaggerFormat.readArtifact(rs.getString(2),
                        where("artifacts", rs.getLong(1), dagId, db.location()) + ", node '" + nodeId + "' key '" + key
                                + "'").value())
                .findOne());
    }

    @Override
    public void setJson(String dagId, String nodeId, String key, JsonNode value) {
        requireName(dagId, "DAG id");
        requireName(nodeId, "node id");
        requireName(key, "key");
        var text = DaggerFormat.encodeValue(value);
        db.write("set artifact " + nodeId + "/" + key + " of DAG '" + dagId + "'", h -> h
                .createUpdate(DagSql.UPSERT_ARTIFACT).bind("dagId", dagId).bind("nodeId", nodeId).bind("key", key)
                .bind("value", text).execute());
    }

    // ---- execution trees --------------------------------------------------------------------

    @Override
    public void saveExecutionTree(String dagId, ExecutionTree tree) {
        requireName(dagId, "DAG id");
        if (tree == null) {
            throw new InvalidArgumentException("execution tree of DAG '" + dagId + "' is null");
        }
        var blob = DaggerFormat.encodeTree(tree);
        db.write("save the execution tree of DAG '" + dagId + "'", h -> h.createUpdate(DagSql.UPSERT_TREE)
                .bind("dagId", dagId).bind("data", blob).execute());
    }

    @Override
    public Optional<ExecutionTree> loadExecutionTree(String dagId) {
        requireName(dagId, "DAG id");
        record Row(long rowId, String dagId, byte[] data) {}
        var lower = dagId.toLowerCase(Locale.ROOT);
        var row = db.read("load the execution tree of DAG '" + dagId + "'", h -> {
            var exact = h.createQuery(DagSql.LOAD_TREE).bind("dagId", dagId)
                    .map((rs, ctx) -> new Row(rs.getLong(1), rs.getString(2), rs.getBytes(3))).findOne();
            if (exact.isPresent() || lower.equals(dagId)) {
                return exact;
            }
            return h.createQuery(DagSql.LOAD_TREE).bind("dagId", lower)
                    .map((rs, ctx) -> new Row(rs.getLong(1), rs.getString(2), rs.getBytes(3))).findOne();
        });
        // decoded outside the read transaction: the reader goes back to the pool sooner
        return row.map(r -> DaggerFormat.decodeTree(r.data(), maxDecodedBytes,
                where("execution_trees", r.rowId(), r.dagId(), db.location())));
    }

    // ---- snapshots ----------------------------------------------------------------------------

    @Override
    public SnapshotInfo saveSnapshot(String dagId, DagCache cache) {
        return saveSnapshot(dagId, cache, null);
    }

    @Override
    public SnapshotInfo saveSnapshot(String dagId, DagCache cache, Instant at) {
        requireName(dagId, "DAG id");
        requireCache(cache);
        var encoded = DaggerFormat.encodeSnapshot(cache);
        boolean legacy = legacySnapshotLayout();
        return db.write("save a snapshot of DAG '" + dagId + "'", h -> {
            var latest = h.createQuery(DagSql.LATEST_SNAPSHOT_TIME).bind("dagId", dagId).mapTo(String.class).findOne();
            var time = DaggerFormat.nextSnapshotTime(at != null ? at : clock.instant(), latest);
            var text = DaggerFormat.snapshotTimeText(time, legacy);
            h.createUpdate(DagSql.INSERT_SNAPSHOT).bind("dagId", dagId).bind("data", encoded.blob())
                    .bind("createdAt", text).execute();
            long id = h.createQuery(DagSql.LAST_ROWID).mapTo(Long.class).one();
            return new SnapshotInfo(id, dagId, Optional.of(time), text, encoded.blob().length,
                    OptionalLong.of(encoded.rawBytes()), OptionalInt.of(cache.nodeIds().size()), Optional.empty());
        });
    }

    private record SnapshotRow(long rowId, byte[] data) {}

    @Override
    public Optional<DagCache> loadLatestSnapshot(String dagId) {
        requireName(dagId, "DAG id");
        var row = db.read("load the latest snapshot of DAG '" + dagId + "'", h -> h
                .createQuery(DagSql.LATEST_SNAPSHOT).bind("dagId", dagId)
                .map((rs, ctx) -> new SnapshotRow(rs.getLong(1), rs.getBytes(2))).findOne());
        return row.map(r -> decodeSnapshot(dagId, r));
    }

    @Override
    public Optional<DagCache> loadSnapshot(String dagId, long id) {
        requireName(dagId, "DAG id");
        var row = db.read("load snapshot " + id + " of DAG '" + dagId + "'", h -> h
                .createQuery(DagSql.SNAPSHOT_BY_ID).bind("dagId", dagId).bind("id", id)
                .map((rs, ctx) -> new SnapshotRow(rs.getLong(1), rs.getBytes(2))).findOne());
        return row.map(r -> decodeSnapshot(dagId, r));
    }

    @Override
    public Optional<DagCache> loadSnapshot(String dagId, Instant time) {
        requireName(dagId, "DAG id");
        if (time == null) {
            throw new InvalidArgumentException("snapshot time is null");
        }
        record Stamp(long rowId, String createdAt) {}
        var stamps = db.read("list snapshot times of DAG '" + dagId + "'", h -> h
                .createQuery(DagSql.SNAPSHOT_TIMES).bind("dagId", dagId)
                .map((rs, ctx) -> new Stamp(rs.getLong(1), rs.getString(2))).list());
        Long best = null;
        Instant bestTime = null;
        for (var stamp : stamps) {
            Instant at;
            try {
                at = Timestamps.parse(stamp.createdAt());
            } catch (CorruptDataException e) {
                throw new CorruptDataException(where("snapshots", stamp.rowId(), dagId, db.location())
                        + ": created_at '" + stamp.createdAt() + "' is not a timestamp", e);
            }
            if (!at.isAfter(time) && (bestTime == null || !at.isBefore(bestTime))) {
                best = stamp.rowId();
                bestTime = at;
            }
        }
        return best == null ? Optional.empty() : loadSnapshot(dagId, best);
    }

    private DagCache decodeSnapshot(String dagId, SnapshotRow row) {
        return DaggerFormat.decodeSnapshot(row.data(), maxDecodedBytes,
                where("snapshots", row.rowId(), dagId, db.location()));
    }

    @Override
    public List<SnapshotInfo> listSnapshots(String dagId) {
        requireName(dagId, "DAG id");
        // each payload is scanned as its row is read, so only one blob is held at a time
        return db.read("list snapshots of DAG '" + dagId + "'", h -> h.createQuery(DagSql.LIST_SNAPSHOTS)
                .bind("dagId", dagId)
                .map((rs, ctx) -> DaggerFormat.describe(rs.getLong(1), dagId, rs.getString(2), rs.getBytes(3),
                        maxDecodedBytes, where("snapshots", rs.getLong(1), dagId, db.location())))
                .list());
    }

    @Override
    public void forEachSnapshot(String dagId, java.util.function.BiConsumer<SnapshotInfo, DagCache> action) {
        requireName(dagId, "DAG id");
        if (action == null) {
            throw new InvalidArgumentException("snapshot action is null");
        }
        db.read("read every snapshot of DAG '" + dagId + "'", h -> {
            h.createQuery(DagSql.LIST_SNAPSHOTS).bind("dagId", dagId)
                    .map((rs, ctx) -> DaggerFormat.decodeListed(rs.getLong(1), dagId, rs.getString(2), rs.getBytes(3),
                            maxDecodedBytes, where("snapshots", rs.getLong(1), dagId, db.location())))
                    .forEach(listed -> action.accept(listed.info(), listed.cache()));
            return null;
        });
    }

    // ---- execution state ----------------------------------------------------------------------

    @Override
    public void saveExecutionState(String dagId, ExecutionStateType type, byte[] payload) {
        requireName(dagId, "DAG id");
        if (type == null) {
            throw new InvalidArgumentException("execution state type is null");
        }
        var blob = DaggerFormat.encodeState(payload);
        db.write("save the " + type.column() + " state of DAG '" + dagId + "'", h -> h
                .createUpdate(DagSql.UPSERT_STATE).bind("dagId", dagId).bind("type", type.column())
                .bind("data", blob).execute());
    }

    @Override
    public Optional<byte[]> loadExecutionState(String dagId, ExecutionStateType type) {
        requireName(dagId, "DAG id");
        if (type == null) {
            throw new InvalidArgumentException("execution state type is null");
        }
        var row = db.read("load the " + type.column() + " state of DAG '" + dagId + "'", h -> h
                .createQuery(DagSql.LOAD_STATE).bind("dagId", dagId).bind("type", type.column())
                .map((rs, ctx) -> new SnapshotRow(rs.getLong(1), rs.getBytes(2))).findOne());
        return row.flatMap(r -> DaggerFormat.decodeState(r.data(), maxDecodedBytes,
                where("execution_state", r.rowId(), dagId, db.location()) + ", state_type '" + type.column() + "'"));
    }

    // ---- summary ------------------------------------------------------------------------------

    private record Size(String dagId, String kind, long count, long bytes) {}

    @Override
    public List<DagSummary> summary() {
        record Read(List<Size> sizes, DagNames names) {}
        var read = db.read("summarise the dagger tables", h -> {
            var all = new java.util.ArrayList<Size>();
            all.addAll(h.createQuery(DagSql.SUMMARY_ARTIFACTS)
                    .map((rs, ctx) -> new Size(rs.getString(1), "artifacts", rs.getLong(2), 0)).list());
            all.addAll(h.createQuery(DagSql.SUMMARY_TREES)
                    .map((rs, ctx) -> new Size(rs.getString(1), "tree", 1, rs.getLong(2))).list());
            all.addAll(h.createQuery(DagSql.SUMMARY_SNAPSHOTS)
                    .map((rs, ctx) -> new Size(rs.getString(1), "snapshots", rs.getLong(2), rs.getLong(3))).list());
            all.addAll(h.createQuery(DagSql.SUMMARY_STATES)
                    .map((rs, ctx) -> new Size(rs.getString(1), "state " + rs.getString(2), 1, rs.getLong(3))).list());
            return new Read(all, names(h));
        });
        var byDag = new TreeMap<String, List<Size>>();
        for (var size : read.sizes()) {
            // a tree stored under the lower-cased name counts for the DAG named as given
            var dags = size.kind().equals("tree") ? read.names().dagsOfTree(size.dagId()) : List.of(size.dagId());
            dags.forEach(dag -> byDag.computeIfAbsent(dag, d -> new java.util.ArrayList<>()).add(size));
        }
        return byDag.entrySet().stream().map(entry -> {
            long artifacts = 0;
            OptionalLong tree = OptionalLong.empty();
            long snapshotCount = 0;
            long snapshotBytes = 0;
            var states = new TreeMap<String, Long>();
            for (var size : entry.getValue()) {
                switch (size.kind()) {
                    case "artifacts" -> artifacts = size.count();
                    case "tree" -> tree = OptionalLong.of(size.bytes());
                    case "snapshots" -> {
                        snapshotCount = size.count();
                        snapshotBytes = size.bytes();
                    }
                    default -> states.put(size.kind().substring("state ".length()), size.bytes());
                }
            }
            return new DagSummary(entry.getKey(), artifacts, tree, snapshotCount, snapshotBytes, states);
        }).toList();
    }

    private static void requireCache(DagCache cache) {
        if (cache == null) {
            throw new InvalidArgumentException("cache is null");
        }
    }
}
