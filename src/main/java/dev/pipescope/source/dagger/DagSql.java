package dev.pipescope.source.dagger;

import dev.pipescope.engine.Dialect;

/**
 * Every SQL statement of the dagger store. The statements written once run on both engines; those that
 * differ are the components of {@link EngineSql}, one instance per dialect.
 *
 * <p>On SQLite rows are addressed by {@code rowid}: in dagger's current snapshots layout that is the
 * {@code id} column itself, and its older layout (no id column) has one too, so the same statements serve
 * both. On PostgreSQL (Pipescope's own tables, always the current layout) a snapshot is addressed by its
 * identity column {@code id}; artifacts, trees and states have no row number there (their keys name them),
 * so those statements select NULL for it.
 */
final class DagSql {
    private DagSql() {}

    /** DAG names as given (dagger keys these tables by the name as the caller spelled it). */
    static final String NAMED_DAG_IDS = """
            SELECT dag_id FROM artifacts UNION SELECT dag_id FROM snapshots
            UNION SELECT dag_id FROM execution_state ORDER BY 1""";

    /** Tree ids: dagger stores trees under the lower-cased DAG name (see DagNames). */
    static final String TREE_DAG_IDS = "SELECT dag_id FROM execution_trees ORDER BY 1";

    // artifacts: values are {"value": ...} text (save_cache) or any JSON (set_json)
    static final String DELETE_ARTIFACTS = "DELETE FROM artifacts WHERE dag_id = :dagId";

    static final String INSERT_ARTIFACT = """
            INSERT INTO artifacts (dag_id, node_id, key, value) VALUES (:dagId, :nodeId, :key, :value)""";

    static final String INSERT_SNAPSHOT = """
            INSERT INTO snapshots (dag_id, snapshot_data, created_at) VALUES (:dagId, :data, :createdAt)""";

    // summary (dagger's debug_print_db)
    static final String SUMMARY_ARTIFACTS = "SELECT dag_id, COUNT(*) FROM artifacts GROUP BY dag_id";

    static final String SUMMARY_TREES = "SELECT dag_id, LENGTH(tree_data) FROM execution_trees";

    static final String SUMMARY_SNAPSHOTS = """
            SELECT dag_id, COUNT(*), COALESCE(SUM(LENGTH(snapshot_data)), 0) FROM snapshots GROUP BY dag_id""";

    static final String SUMMARY_STATES = "SELECT dag_id, state_type, LENGTH(state_data) FROM execution_state";

    /**
     * The statements whose text differs by engine. Row numbers come first in a row and may be NULL (see above).
     *
     * @param snapshotIdColumn   1 when the snapshots table has an {@code id} column (dagger's current layout), else 0
     * @param upsertArtifact     sets one artifact; keeps created_at of an existing entry (upstream's INSERT OR
     *                           REPLACE resets it; nothing reads it) and stamps updated_at as SQLite's
     *                           {@code CURRENT_TIMESTAMP} does ({@code YYYY-MM-DD HH:MM:SS}, UTC)
     * @param loadArtifacts      row number, node, key and value of a DAG's artifacts, by node and key
     * @param getArtifact        row number and value of one artifact
     * @param upsertTree         stores a DAG's tree blob
     * @param loadTree           row number, DAG id and blob of a tree
     * @param lastSnapshotId     the id of the snapshot just inserted on this connection
     * @param latestSnapshotTime the created_at text of a DAG's latest snapshot
     * @param latestSnapshot     id and blob of a DAG's latest snapshot
     * @param snapshotById       id and blob of one snapshot
     * @param listSnapshots      id, created_at and blob of a DAG's snapshots, oldest first
     * @param snapshotTimes      id and created_at of a DAG's snapshots (compared in Java: a file may hold both of
     *                           dagger's timestamp styles)
     * @param upsertState        stores a DAG's active or pending state blob
     * @param loadState          row number and blob of a state
     */
    record EngineSql(String snapshotIdColumn, String upsertArtifact, String loadArtifacts, String getArtifact,
                     String upsertTree, String loadTree, String lastSnapshotId, String latestSnapshotTime,
                     String latestSnapshot, String snapshotById, String listSnapshots, String snapshotTimes,
                     String upsertState, String loadState) {

        /** The statements for {@code dialect}. */
        static EngineSql of(Dialect dialect) {
            return dialect == Dialect.POSTGRESQL ? POSTGRESQL : SQLITE;
        }

        /**
         * @param rowNumber the expression for a row's number in artifacts, trees and states
         * @param snapshotId the column that addresses a snapshot
         * @param now the expression for the current time as SQLite's CURRENT_TIMESTAMP text
         */
        private static EngineSql build(String snapshotIdColumn, String rowNumber, String snapshotId, String now,
                                       String lastSnapshotId) {
            return new EngineSql(snapshotIdColumn,
                    "INSERT INTO artifacts (dag_id, node_id, key, value) VALUES (:dagId, :nodeId, :key, :value)"
                            + " ON CONFLICT (dag_id, node_id, key) DO UPDATE SET value = excluded.value, updated_at = "
                            + now,
                    "SELECT " + rowNumber + ", node_id, key, value FROM artifacts WHERE dag_id = :dagId"
                            + " ORDER BY node_id, key",
                    "SELECT " + rowNumber + ", value FROM artifacts WHERE dag_id = :dagId AND node_id = :nodeId"
                            + " AND key = :key",
                    "INSERT INTO execution_trees (dag_id, tree_data) VALUES (:dagId, :data)"
                            + " ON CONFLICT (dag_id) DO UPDATE SET tree_data = excluded.tree_data, updated_at = " + now,
                    "SELECT " + rowNumber + ", dag_id, tree_data FROM execution_trees WHERE dag_id = :dagId",
                    lastSnapshotId,
                    "SELECT created_at FROM snapshots WHERE dag_id = :dagId ORDER BY created_at DESC, " + snapshotId
                            + " DESC LIMIT 1",
                    "SELECT " + snapshotId + ", snapshot_data FROM snapshots WHERE dag_id = :dagId"
                            + " ORDER BY created_at DESC, " + snapshotId + " DESC LIMIT 1",
                    "SELECT " + snapshotId + ", snapshot_data FROM snapshots WHERE dag_id = :dagId AND " + snapshotId
                            + " = :id",
                    "SELECT " + snapshotId + ", created_at, snapshot_data FROM snapshots WHERE dag_id = :dagId"
                            + " ORDER BY created_at, " + snapshotId,
                    "SELECT " + snapshotId + ", created_at FROM snapshots WHERE dag_id = :dagId",
                    "INSERT INTO execution_state (dag_id, state_type, state_data) VALUES (:dagId, :type, :data)"
                            + " ON CONFLICT (dag_id, state_type) DO UPDATE SET state_data = excluded.state_data,"
                            + " updated_at = " + now,
                    "SELECT " + rowNumber + ", state_data FROM execution_state WHERE dag_id = :dagId"
                            + " AND state_type = :type");
        }
    }

    static final EngineSql SQLITE = EngineSql.build(
            "SELECT COUNT(*) FROM pragma_table_info('snapshots') WHERE name = 'id'",
            "rowid", "rowid", "CURRENT_TIMESTAMP", "SELECT last_insert_rowid()");

    /** The same timestamps as SQLite's CURRENT_TIMESTAMP, as the column defaults of migrations/postgresql/V2. */
    static final EngineSql POSTGRESQL = EngineSql.build("""
                    SELECT COUNT(*) FROM information_schema.columns
                    WHERE table_schema = current_schema() AND table_name = 'snapshots' AND column_name = 'id'""",
            "CAST(NULL AS bigint)", "id",
            "to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')",
            "SELECT lastval()");
}
