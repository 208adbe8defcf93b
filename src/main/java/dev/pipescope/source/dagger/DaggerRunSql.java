package dev.pipescope.source.dagger;

/** The SQL the unified run view uses on dagger's {@code execution_trees} (read only). */
final class DaggerRunSql {
    private DaggerRunSql() {}

    static final String TREES = "SELECT dag_id, tree_data FROM execution_trees ORDER BY dag_id";

    /** The names trees are matched to (dagger stores a tree under the lower-cased DAG name). */
    static final String NAMED_DAG_IDS = """
            SELECT dag_id FROM artifacts UNION SELECT dag_id FROM snapshots
            UNION SELECT dag_id FROM execution_state""";
}
