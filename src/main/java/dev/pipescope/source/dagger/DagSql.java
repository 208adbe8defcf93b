package dev.pipescope.source.dagger;

/**
 * Every SQL statement of the dagger store. Rows are addressed by {@code rowid}: in dagger's current
 * snapshots layout that is the {@code id} column itself, and its older layout (no id column) has
 * one too, so the same statements serve both.
 */
final class DagSql {
    private DagSql() {}

    static final String SNAPSHOT_ID_COLUMN = "SELECT COUNT(*) FROM pragma_table_info('snapshots') WHERE name = 'id'";

    /** DAG names as given (dagger keys these tables by the name as the caller spelled it). */
    static final String NAMED_DAG_IDS = """
            SELECT dag_id FROM artifacts UNION SELECT dag_id FROM snapshots
            UNION SELECT dag_id FROM execution_state ORDER BY 1""";

    /** Tree ids: dagger stores trees under the lower-cased DAG name (see DagNames). */
    static final String TREE_DAG_IDS = "SELECT dag_id FROM execution_trees ORDER BY 1";

    // artifacts: values are {"value": ...} text (save_cache) or any JSON (set_json), timestamps SQLite's CURRENT_TIMESTAMP as upstream
    static final String DELETE_ARTIFACTS = "DELETE FROM artifacts WHERE dag_id = :dagId";

    static final String INSERT_ARTIFACT = """
            INSERT INTO artifacts (dag_id, node_id, key, value) VALUES (:dagId, :nodeId, :key, :value)""";

    /** Keeps created_at of an existing entry (upstream's INSERT OR REPLACE resets it; nothing reads it). */
    static final String UPSERT_ARTIFACT = """
            INSERT INTO artifacts (dag_id, node_id, key, value) VALUES (:dagId, :nodeId, :key, :value)
            ON CONFLICT (dag_id, node_id, key) DO UPDATE SET value = excluded.value, updated_at = CURRENT_TIMESTAMP""";

    static final String LOAD_ARTIFACTS = """
            SELECT rowid, node_id, key, value FROM artifacts WHERE dag_id = :dagId ORDER BY node_id, key""";

    static final String GET_ARTIFACT = """
            SELECT rowid, value FROM artifacts WHERE dag_id = :dagId AND node_id = :nodeId AND key = :key""";

    // execution trees
    static final String UPSERT_TREE = """
            INSERT INTO execution_trees (dag_id, tree_data) VALUES (:dagId, :data)
            ON CONFLICT (dag_id) DO UPDATE SET tree_data = excluded.tree_data, updated_at = CURRENT_TIMESTAMP""";

    static final String LOAD_TREE = "SELECT rowid, dag_id, tree_data FROM execution_trees WHERE dag_id = :dagId";

    // snapshots
    static final String INSERT_SNAPSHOT = """
            INSERT INTO snapshots (dag_id, snapshot_data, created_at) VALUES (:dagId, :data, :createdAt)""";

    static final String LAST_ROWID = "SELECT last_insert_rowid()";

    static final String LATEST_SNAPSHOT_TIME = """
            SELECT created_at FROM snapshots WHERE dag_id = :dagId ORDER BY created_at DESC, rowid DESC LIMIT 1""";

    static final String LATEST_SNAPSHOT = """
            SELECT rowid, snapshot_data FROM snapshots WHERE dag_id = :dagId
            ORDER BY created_at DESC, rowid DESC LIMIT 1""";

    static final String SNAPSHOT_BY_ID = "SELECT rowid, snapshot_data FROM snapshots WHERE dag_id = :dagId AND rowid = :id";

    static final String LIST_SNAPSHOTS = """
            SELECT rowid, created_at, snapshot_data FROM snapshots WHERE dag_id = :dagId ORDER BY created_at, rowid""";

    /** Times are compared in Java: a file may hold both of dagger's timestamp styles. */
    static final String SNAPSHOT_TIMES = "SELECT rowid, created_at FROM snapshots WHERE dag_id = :dagId";

    // execution state
    static final String UPSERT_STATE = """
            INSERT INTO execution_state (dag_id, state_type, state_data) VALUES (:dagId, :type, :data)
            ON CONFLICT (dag_id, state_type) DO UPDATE SET state_data = excluded.state_data,
                                                           updated_at = CURRENT_TIMESTAMP""";

    static final String LOAD_STATE = """
            SELECT rowid, state_data FROM execution_state WHERE dag_id = :dagId AND state_type = :type""";

    // summary (dagger's debug_print_db)
    static final String SUMMARY_ARTIFACTS = "SELECT dag_id, COUNT(*) FROM artifacts GROUP BY dag_id";

    static final String SUMMARY_TREES = "SELECT dag_id, LENGTH(tree_data) FROM execution_trees";

    static final String SUMMARY_SNAPSHOTS = """
            SELECT dag_id, COUNT(*), COALESCE(SUM(LENGTH(snapshot_data)), 0) FROM snapshots GROUP BY dag_id""";

    static final String SUMMARY_STATES = "SELECT dag_id, state_type, LENGTH(state_data) FROM execution_state";
}
