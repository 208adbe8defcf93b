package dev.pipescope.domain;

/** The table layouts Pipescope recognises in a database; {@code db.layouts()} says which one holds. */
public enum Layout {
    /** Flyway-managed Pipescope tables ({@code flyway_schema_history} present). */
    PIPESCOPE("Pipescope schema (Flyway history)"),
    /** The Rust adaptive pipeline tool: pipelines, stages, parameters, configuration, processing metrics. */
    ADAPTIVE_PIPELINE("adaptive pipeline tool (pipelines, stages, metrics)"),
    /** Pipescope's run history ({@code pipeline_runs}). */
    RUN_HISTORY("Pipescope run history"),
    /** The dagger DAG-flow engine's SqliteCache: artifacts, execution trees, snapshots, execution state. */
    DAGGER("dagger DAG cache (artifacts, trees, snapshots)"),
    /** Hyperpage's job queue and settings store; its accounts (users' e-mails), OAuth tokens and sessions are secret. */
    HYPERPAGE("Hyperpage job queue (jobs, job_history, tool_configs)", "users", "oauth_tokens", "user_sessions"),
    /** The Python ETL framework (SQLModel): jobs, components, executions, attempts. */
    ETL("Python ETL framework (jobtable, executiontable)", "credentialstable", "contextcredentialsmaptable");

    private final String description;
    private final java.util.Set<String> secretTables;

    Layout(String description, String... secretTables) {
        this.description = description;
        this.secretTables = java.util.Set.of(secretTables);
    }

    /**
     * The tool's tables that hold secrets (Hyperpage's accounts with their e-mails, OAuth tokens and sessions,
     * etl-core's credentials): Pipescope never reads them, and {@code %%sql} refuses a statement that would, on
     * SQLite and PostgreSQL alike.
     */
    public java.util.Set<String> secretTables() {
        return secretTables;
    }

    /** Every layout's secret tables, by name. */
    public static java.util.Set<String> allSecretTables() {
        return AllSecretTables.NAMES;
    }

    /** Gathered once: %%sql asks for every table of every statement it judges. */
    private static final class AllSecretTables {
        static final java.util.Set<String> NAMES = java.util.Arrays.stream(values())
                .flatMap(layout -> layout.secretTables.stream())
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** What the layout is, for people. */
    public String description() {
        return description;
    }
}
