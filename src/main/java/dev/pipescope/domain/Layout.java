package dev.pipescope.domain;

/** The table layouts Pipescope recognises in a SQLite file; {@code db.layouts()} says which a file holds. */
public enum Layout {
    /** Flyway-managed Pipescope tables ({@code flyway_schema_history} present). */
    PIPESCOPE("Pipescope schema (Flyway history)"),
    /** The Rust adaptive pipeline tool: pipelines, stages, parameters, configuration, processing metrics. */
    ADAPTIVE_PIPELINE("adaptive pipeline tool (pipelines, stages, metrics)"),
    /** Pipescope's run history ({@code pipeline_runs}). */
    RUN_HISTORY("Pipescope run history"),
    /** The dagger DAG-flow engine's SqliteCache: artifacts, execution trees, snapshots, execution state. */
    DAGGER("dagger DAG cache (artifacts, trees, snapshots)"),
    /** Hyperpage's job queue and settings store. */
    HYPERPAGE("Hyperpage job queue (jobs, job_history, tool_configs)"),
    /** The Python ETL framework (SQLModel): jobs, components, executions, attempts. */
    ETL("Python ETL framework (jobtable, executiontable)");

    private final String description;

    Layout(String description) {
        this.description = description;
    }

    /** What the layout is, for people. */
    public String description() {
        return description;
    }
}
