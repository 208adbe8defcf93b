package dev.pipescope.source.hyperpage;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipescope.domain.HyperpageStore;
import dev.pipescope.domain.Layout;
import dev.pipescope.source.RunReader;
import dev.pipescope.source.Source;
import dev.pipescope.engine.Dialect;
import dev.pipescope.engine.EngineConnections;
import dev.pipescope.sqlite.SqliteConnections;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Hyperpage's job queue and settings store: its SQLite file's tables, and its PostgreSQL database's (read only);
 * its jobs are unified runs.
 */
public final class HyperpageSource implements Source {
    /** Hyperpage's PostgreSQL tables and the columns Pipescope reads of each (docs/sources.md). */
    private static final Map<String, Set<String>> POSTGRES_TABLES = Map.of(
            "jobs", Set.of("id", "type", "payload", "status", "scheduled_at", "started_at", "completed_at",
                    "attempts", "last_error", "created_at", "updated_at"),
            "job_history", Set.of("id", "job_id", "status", "details", "created_at"),
            "rate_limits", Set.of("id", "key", "remaining", "reset_at", "metadata", "created_at"),
            "tool_configs", Set.of("key", "owner_type", "owner_id", "config", "updated_at"),
            "app_state", Set.of("key", "value", "updated_at"));

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
     * On PostgreSQL, the tables and columns of Hyperpage's own database (its drizzle migration {@code 0000_*.sql})
     * that Pipescope reads; more are allowed. {@code users}, {@code oauth_tokens} and {@code user_sessions} are
     * never read.
     */
    @Override
    public Map<String, Set<String>> tables(Dialect dialect) {
        return dialect == Dialect.POSTGRESQL ? POSTGRES_TABLES : tables();
    }

    /** Read on both engines: its SQLite file and its PostgreSQL database. */
    @Override
    public boolean readsOn(Dialect dialect) {
        return true;
    }

    @Override
    public boolean createdByMigrations() {
        return false;
    }

    @Override
    public List<Class<?>> sqlClasses() {
        return List.of(HyperpageSql.class, HyperpagePostgresSql.class);
    }

    @Override
    public List<Class<?>> sqlClasses(Dialect dialect) {
        return List.of(dialect == Dialect.POSTGRESQL ? HyperpagePostgresSql.class : HyperpageSql.class);
    }

    @Override
    public Optional<RunReader> runs(EngineConnections connections) {
        return Optional.of(connections.dialect() == Dialect.POSTGRESQL
                ? HyperpageRuns.postgres(connections.location()) : HyperpageRuns.sqlite(connections.location()));
    }

    /** The Hyperpage store over this layout's tables in a SQLite file. */
    public static HyperpageStore store(SqliteConnections connections, Clock clock, ObjectMapper json) {
        return new SqliteHyperpageStore(connections, clock, json);
    }

    /**
     * The Hyperpage store over Hyperpage's PostgreSQL database: it reads, and refuses every write (typed
     * {@link dev.pipescope.error.ReadOnlyViolationException}) whatever the open, for the database is Hyperpage's.
     */
    public static HyperpageStore postgresStore(EngineConnections connections, ObjectMapper json) {
        return new PostgresHyperpageStore(connections, json);
    }
}
