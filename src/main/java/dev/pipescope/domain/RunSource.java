package dev.pipescope.domain;

/** Where a {@link Run} was read from. */
public enum RunSource {
    /** Pipescope's {@code pipeline_runs}. */
    PIPESCOPE(Layout.RUN_HISTORY),
    /** Hyperpage's {@code jobs} with their {@code job_history}. */
    HYPERPAGE(Layout.HYPERPAGE),
    /** The ETL framework's {@code executiontable} with {@code executionattempttable}. */
    ETL(Layout.ETL),
    /** Node outcomes in dagger's {@code execution_trees}. */
    DAGGER(Layout.DAGGER);

    private final Layout layout;

    RunSource(Layout layout) {
        this.layout = layout;
    }

    /** The table layout a file must hold for this source. */
    public Layout layout() {
        return layout;
    }
}
