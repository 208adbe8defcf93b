package dev.pipescope.source.hyperpage;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipescope.Connections;
import dev.pipescope.domain.AppState;
import dev.pipescope.domain.HyperpageStore;
import dev.pipescope.domain.JobRepository;
import dev.pipescope.domain.RateLimits;
import dev.pipescope.domain.ToolConfigs;
import dev.pipescope.error.ReadOnlyViolationException;

/**
 * Hyperpage's tables in its PostgreSQL database, read as they are ({@link HyperpagePostgresSql}). Pipescope never
 * writes them: they are Hyperpage's, and its own code keeps them (every write method throws
 * {@link ReadOnlyViolationException} before touching the database, even on a read-write open).
 */
final class PostgresHyperpageStore implements HyperpageStore {
    private final PostgresJobs jobs;
    private final PostgresToolConfigs configs;
    private final PostgresRateLimits limits;
    private final PostgresAppState state;

    PostgresHyperpageStore(Connections connections, ObjectMapper json) {
        this.jobs = new PostgresJobs(connections);
        this.configs = new PostgresToolConfigs(connections, json);
        this.limits = new PostgresRateLimits(connections);
        this.state = new PostgresAppState(connections);
    }

    @Override
    public JobRepository jobs() {
        return jobs;
    }

    @Override
    public ToolConfigs toolConfigs() {
        return configs;
    }

    @Override
    public RateLimits rateLimits() {
        return limits;
    }

    @Override
    public AppState appState() {
        return state;
    }

    /** The refusal of a write: {@code what} names it ("start job github-1-abc", "set app_state key theme"). */
    static ReadOnlyViolationException refused(Connections connections, String what) {
        return new ReadOnlyViolationException("cannot " + what + ": " + connections.location() + " is Hyperpage's "
                + "PostgreSQL database, which Pipescope reads and never writes (Hyperpage's own code keeps it). "
                + "Nothing was written.");
    }
}
