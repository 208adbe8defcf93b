package dev.pipescope.domain;

import java.util.Locale;

/**
 * What became of a run, in one vocabulary for every source. Pipescope's {@code pipeline_runs} uses
 * {@link #RUNNING}, {@link #SUCCEEDED}, {@link #FAILED} and {@link #CANCELLED}; the other tools'
 * statuses map onto these (Hyperpage's {@code pending}; its {@code timeout} is {@link #FAILED}; the ETL
 * framework's {@code SUCCESS}), and {@link Run#sourceStatus()} keeps the original word.
 */
public enum RunStatus {
    PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    /** Computed once: every run written or tabled asks for it, a million times for a million runs. */
    private final String dbValue = name().toLowerCase(Locale.ROOT);

    /** The word stored in {@code pipeline_runs.status}. */
    public String dbValue() {
        return dbValue;
    }

    /** True once the run has ended, whatever the outcome. */
    public boolean finished() {
        return this != PENDING && this != RUNNING;
    }
}
