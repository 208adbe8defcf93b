package dev.pipescope.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The state the dagger DAG-flow engine keeps per DAG (its {@code SqliteCache}): the cache of node
 * outputs ({@code artifacts}), the last run's execution tree, timestamped snapshots of the cache,
 * and the active/pending execution state. Files written here can be read by dagger and the other
 * way round.
 *
 * <pre>{@code
 * var dags = db.dags();
 * dags.setJson("nightly", "fetch", "rows", IntNode.valueOf(42));
 * dags.saveSnapshot("nightly", dags.loadCache("nightly"));
 * dags.listSnapshots("nightly").forEach(System.out::println);
 * dags.loadExecutionTree("nightly").map(ExecutionTree::failed);
 * }</pre>
 *
 * <p>Both of dagger's snapshots layouts are read and written: the current one (integer {@code id},
 * RFC 3339 {@code ...Z} stamps) and the older one (no id column, SQLite {@code YYYY-MM-DD HH:MM:SS}
 * stamps), where a snapshot's id is SQLite's rowid and new rows get that style with nine fraction
 * digits so they sort after dagger's own.
 *
 * <p>Stored payloads that cannot be decoded raise {@link dev.pipescope.error.CorruptDataException}
 * naming the DAG, table, row id and what failed; {@link #listSnapshots} and {@link #summary} still
 * work on such rows.
 */
public interface DagStore {

    /**
     * Every DAG that has anything stored, sorted. A DAG appears once under the name it was given:
     * dagger stores its execution tree under the lower-cased name ({@code deepresearch} for
     * {@code DeepResearch}), and such a tree belongs to the DAG whose name lower-cases to it; a tree no
     * other row's name matches is listed under its own id.
     */
    List<String> dagIds();

    /** Replaces all of a DAG's artifacts with {@code cache}, atomically. */
    void saveCache(String dagId, DagCache cache);

    /** Inserts or replaces only the entries in {@code delta}; other entries stay as they are. */
    void saveCacheDelta(String dagId, DagCache delta);

    /**
     * The DAG's artifacts (empty when it has none), whichever of dagger's writers stored them: the
     * value inside {@code {"value": ...}} for {@code save_cache} rows, the JSON as given for
     * {@code set_json} rows ({@link ArtifactForm}).
     *
     * @throws dev.pipescope.error.CorruptDataException naming the row when a value is not JSON at all
     */
    DagCache loadCache(String dagId);

    /**
     * Every artifact row of the DAG, sorted by node and key, with the form it was stored in: which rows
     * dagger's {@code load_cache} can read ({@link ArtifactForm#CACHE}) and which only its
     * {@code get_json} can ({@link ArtifactForm#JSON}).
     *
     * <pre>{@code
     * db.dags().artifacts("triage_agent");
     * // [DagArtifact[dagId=triage_agent, nodeId=supervisor_start, key=labels, form=JSON, value=["bug","ui"]], ...]
     * }</pre>
     *
     * @throws dev.pipescope.error.CorruptDataException naming the row when a value is not JSON at all
     */
    List<DagArtifact> artifacts(String dagId);

    /**
     * One cached value, in either form: the value inside {@code {"value": ...}}, or the JSON as
     * {@code set_json} stored it. (Dagger's own {@code get_json} returns the stored text as is, wrapper
     * included; here both forms give the value itself.)
     */
    Optional<JsonNode> getJson(String dagId, String nodeId, String key);

    /**
     * Inserts or replaces one cached value in the cache form {@code {"value": ...}}, which both dagger's
     * {@code load_cache} and {@code get_json} read ({@code null} is stored as JSON null).
     */
    void setJson(String dagId, String nodeId, String key, JsonNode value);

    /**
     * Stores the DAG's execution tree under {@code dagId} as given, replacing the previous one (dagger
     * itself stores trees under the lower-cased DAG name).
     */
    void saveExecutionTree(String dagId, ExecutionTree tree);

    /**
     * The DAG's execution tree. Dagger stores trees under the lower-cased DAG name, so when nothing is
     * stored under {@code dagId} itself the lower-cased id is tried ({@code DeepResearch} finds
     * {@code deepresearch}).
     */
    Optional<ExecutionTree> loadExecutionTree(String dagId);

    /**
     * Stores a snapshot of {@code cache}, timestamped now (or just after the DAG's latest snapshot,
     * so snapshots never collide and stay in order). @return what was stored
     */
    SnapshotInfo saveSnapshot(String dagId, DagCache cache);

    /**
     * Stores a snapshot taken at {@code time} (imports, replays, deterministic demo data). Like
     * {@link #saveSnapshot(String, DagCache)}, a time at or before the DAG's latest snapshot is moved to
     * just after it, so snapshots never collide and stay in order. @return what was stored
     */
    SnapshotInfo saveSnapshot(String dagId, DagCache cache, Instant time);

    /** The newest snapshot's cache. */
    Optional<DagCache> loadLatestSnapshot(String dagId);

    /** The DAG's snapshots, oldest first; unreadable payloads are listed with their problem. */
    List<SnapshotInfo> listSnapshots(String dagId);

    /**
     * Every snapshot of the DAG, oldest first, each decoded once and handed to {@code action} with its
     * listing, one at a time: "how did the cache change over the day?" without holding a thousand caches.
     * In SQLite the walk is one read transaction, so it sees one consistent state.
     *
     * <pre>{@code
     * dags.forEachSnapshot("nightly", (info, cache) -> System.out.println(info.createdAt() + " " + cache.size()));
     * }</pre>
     *
     * @throws dev.pipescope.error.CorruptDataException naming the row, when a payload is unreadable
     *         (the snapshots before it have been handed on)
     */
    void forEachSnapshot(String dagId, java.util.function.BiConsumer<SnapshotInfo, DagCache> action);

    /** The snapshot with that id (as listed). */
    Optional<DagCache> loadSnapshot(String dagId, long id);

    /** The newest snapshot taken at or before {@code time}. */
    Optional<DagCache> loadSnapshot(String dagId, Instant time);

    /**
     * Stores an execution state payload (compressed as dagger does). An empty payload means "none",
     * as dagger writes for no pending work.
     */
    void saveExecutionState(String dagId, ExecutionStateType type, byte[] payload);

    /** The execution state payload; empty when absent or when the stored payload is empty ("none"). */
    Optional<byte[]> loadExecutionState(String dagId, ExecutionStateType type);

    /**
     * Per DAG: what is stored and how big it is, without decoding anything. Sorted by DAG id; DAGs are
     * named as in {@link #dagIds()}, so a tree stored under the lower-cased name counts for its DAG.
     */
    List<DagSummary> summary();
}
