package dev.pipescope.source.etl;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipescope.domain.Layout;
import dev.pipescope.source.RunReader;
import dev.pipescope.source.Source;
import dev.pipescope.engine.EngineConnections;
import dev.pipescope.sqlite.SqliteConnections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The Python ETL framework (etl-core, SQLModel tables); its executions are unified runs. Read only. */
public final class EtlSource implements Source {

    @Override
    public Layout layout() {
        return Layout.ETL;
    }

    @Override
    public Map<String, Set<String>> tables() {
        return Map.of(
                "jobtable", Set.of("id", "name"),
                "componenttable", Set.of("id", "job_id", "name", "payload"),
                "executiontable", Set.of("id", "job_id", "status", "started_at"),
                "executionattempttable", Set.of("id", "execution_id", "attempt_index", "status"));
    }

    @Override
    public boolean createdByMigrations() {
        return false;
    }

    @Override
    public List<Class<?>> sqlClasses() {
        return List.of(EtlSql.class);
    }

    @Override
    public Optional<RunReader> runs(EngineConnections connections) {
        return Optional.of(new EtlRuns(connections.location(), connections.settings().naiveTimeZone()));
    }

    /** The ETL store over this layout's tables. */
    public static SqliteEtlStore store(SqliteConnections connections, ObjectMapper json) {
        return new SqliteEtlStore(connections, json);
    }
}
