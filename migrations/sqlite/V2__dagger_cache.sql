-- The dagger DAG-flow engine's SqliteCache tables, exactly as dagger creates them (current layout:
-- snapshots with an integer id). IF NOT EXISTS throughout: on a file dagger made, in either of its
-- snapshots layouts, this changes nothing, and dagger can still open a file Pipescope made.

CREATE TABLE IF NOT EXISTS artifacts (
    dag_id TEXT NOT NULL,
    node_id TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (dag_id, node_id, key)
);

CREATE TABLE IF NOT EXISTS execution_trees (
    dag_id TEXT PRIMARY KEY,
    tree_data BLOB NOT NULL,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE IF NOT EXISTS snapshots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    dag_id TEXT NOT NULL,
    snapshot_data BLOB NOT NULL,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    UNIQUE(dag_id, created_at)
);

CREATE TABLE IF NOT EXISTS execution_state (
    dag_id TEXT NOT NULL,
    state_type TEXT NOT NULL, -- 'active' or 'pending'
    state_data BLOB NOT NULL,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (dag_id, state_type)
);

CREATE INDEX IF NOT EXISTS idx_artifacts_dag_id ON artifacts(dag_id);
CREATE INDEX IF NOT EXISTS idx_snapshots_dag_id ON snapshots(dag_id);
CREATE INDEX IF NOT EXISTS idx_execution_state_dag_id ON execution_state(dag_id);
