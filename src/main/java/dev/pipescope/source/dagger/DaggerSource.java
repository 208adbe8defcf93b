package dev.pipescope.source.dagger;

import dev.pipescope.domain.Layout;
import dev.pipescope.source.RunReader;
import dev.pipescope.source.Source;
import dev.pipescope.engine.EngineConnections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The dagger DAG-flow engine's SqliteCache: artifacts, zstd execution trees, snapshots and execution
 * state (Pipescope's V2 migration creates the same tables); its tree nodes' outcomes are unified runs.
 */
public final class DaggerSource implements Source {

    @Override
    public Layout layout() {
        return Layout.DAGGER;
    }

    @Override
    public Map<String, Set<String>> tables() {
        return Map.of(
                "artifacts", Set.of("dag_id", "node_id", "key", "value"),
                "execution_trees", Set.of("dag_id", "tree_data"),
                "snapshots", Set.of("dag_id", "snapshot_data", "created_at"),
                "execution_state", Set.of("dag_id", "state_type", "state_data"));
    }

    @Override
    public boolean createdByMigrations() {
        return true;
    }

    @Override
    public List<Class<?>> sqlClasses() {
        return List.of(DagSql.class, DaggerRunSql.class);
    }

    @Override
    public Optional<RunReader> runs(EngineConnections connections) {
        return Optional.of(new DaggerRuns(connections.location()));
    }

    /** The DAG store over this layout's tables. */
    public static SqlDagStore store(EngineConnections connections) {
        return new SqlDagStore(connections);
    }
}
