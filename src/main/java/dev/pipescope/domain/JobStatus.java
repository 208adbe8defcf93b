package dev.pipescope.domain;

import java.util.Locale;
import java.util.Optional;

/** A Hyperpage job's status, as its {@code jobs.status} column spells it in lower case. */
public enum JobStatus {
    PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT;

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status for a stored word, empty when Hyperpage never writes it. */
    public static Optional<JobStatus> parse(String text) {
        for (var s : values()) {
            if (s.dbValue().equals(text)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /**
     * The same outcome in the unified vocabulary: a job that timed out failed ({@link Run#sourceStatus()}
     * keeps {@code timeout}).
     */
    public RunStatus toRunStatus() {
        return switch (this) {
            case PENDING -> RunStatus.PENDING;
            case RUNNING -> RunStatus.RUNNING;
            case COMPLETED -> RunStatus.SUCCEEDED;
            case FAILED -> RunStatus.FAILED;
            case CANCELLED -> RunStatus.CANCELLED;
            case TIMEOUT -> RunStatus.FAILED;
        };
    }

    /** True once the job is no longer queued or running. */
    public boolean ended() {
        return this != PENDING && this != RUNNING;
    }
}
