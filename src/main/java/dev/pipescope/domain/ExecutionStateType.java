package dev.pipescope.domain;

/** The two kinds of execution state dagger keeps per DAG ({@code execution_state.state_type}). */
public enum ExecutionStateType {
    /** The run in progress. */
    ACTIVE("active"),
    /** Work queued to run next. */
    PENDING("pending");

    private final String column;

    ExecutionStateType(String column) {
        this.column = column;
    }

    /** The value in the {@code state_type} column. */
    public String column() {
        return column;
    }
}
