package dev.pipescope.source.dagger;

/** The SQL the unified run view uses on dagger's {@code execution_trees} (read only). */
final class DaggerRunSql {
    private DaggerRunSql() {}

    static final String TREES = "SELECT dag_id, tree_data FROM execution_trees ORDER BY dag_id";
}
