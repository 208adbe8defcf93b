package dev.pipescope.source.hyperpage;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipescope.domain.Layout;
import dev.pipescope.source.RunReader;
import dev.pipescope.source.Source;
import dev.pipescope.engine.EngineConnections;
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

    @Override
    public boolean createdByMigrations() {
        return false;
    }

    @Override
    public List<Class<?>> sqlClasses() {
        return List.of(HyperpageSql.class);
    }

    @Override
    public Optional<RunReader> runs(EngineConnections connections) {
        return Optional.of(new HyperpageRuns(connections.location()));
    }

    /** The Hyperpage store over this layout's tables. */
    public static SqliteHyperpageStore store(SqliteConnections connections, Clock clock, ObjectMapper json) {
        return new SqliteHyperpageStore(connections, clock, json);
    }
}
