package dev.pipescope.source.hyperpage;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipescope.Connections;
import dev.pipescope.domain.HyperpageStore;
import dev.pipescope.domain.Layout;
import dev.pipescope.source.RunReader;
import dev.pipescope.source.Source;
import dev.pipescope.sqlite.SqliteConnections;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Hyperpage's job queue and settings store (its SQLite tables); its jobs are unified runs. */
public final class HyperpageSource implements Source {

    @Override
    public Layout layout() {
        return Layout.HYPERPAGE;
    }

    @Override
    public Map<String, Set<String>> tables() {
        return Map.of(
                "jobs", Set.of("id", "type", "name", "priority", "status", "payload", "created_at", "updated_at",
                        "retry_count", "recovery_attempts"),
                "job_history", Set.of("id", "job_id", "attempt", "status", "started_at"),
                "rate_limits", Set.of("id", "platform", "last_updated"),
                "tool_configs", Set.of("tool_name", "enabled", "config"),
                "app_state", Set.of("key", "value"));
    }

    /**
     * The tables and columns of Hyperpage's PostgreSQL database (its drizzle migration {@code 0000_*.sql}) that
     * Pipescope reads; more are allowed. {@code users}, {@code oauth_tokens} and {@code user_sessions} are never read.
     */
    public Map<String, Set<String>> postgresTables() {
        return Map.of(
                "jobs", Set.of("id", "type", "payload", "status", "scheduled_at", "started_at", "completed_at",
                        "attempts", "last_error", "created_at", "updated_at"),
                "job_history", Set.of("id", "job_id", "status", "details", "created_at"),
                "rate_limits", Set.of("id", "key", "remaining", "reset_at", "metadata", "created_at"),
                "tool_configs", Set.of("key", "owner_type", "owner_id", "config", "updated_at"),
                "app_state", Set.of("key", "value"));
    }

    @Override
    public boolean createdByMigrations() {
        return false;
    }

    @Override
    public List<Class<?>> sqlClasses() {
        return List.of(HyperpageSql.class);
    }

    @Override
    public Optional<RunReader> runs(SqliteConnections connections) {
        return Optional.of(HyperpageRuns.sqlite(connections.file()));
    }

    /** The Hyperpage store over Hyperpage's PostgreSQL tables: read only, whatever the open. */
    public static HyperpageStore postgresStore(Connections connections, ObjectMapper json) {
        return new PostgresHyperpageStore(connections, json);
    }

    /** Hyperpage's PostgreSQL jobs as unified runs. */
    public static RunReader postgresRuns(Connections connections) {
        return HyperpageRuns.postgres(connections.location());
    }

    /** The Hyperpage store over this layout's tables. */
    public static SqliteHyperpageStore store(SqliteConnections connections, Clock clock, ObjectMapper json) {
        return new SqliteHyperpageStore(connections, clock, json);
    }
}
