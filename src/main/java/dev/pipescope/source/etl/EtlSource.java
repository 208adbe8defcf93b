package dev.pipescope.source.etl;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipescope.domain.EtlStore;
import dev.pipescope.domain.Layout;
import dev.pipescope.engine.Dialect;
import dev.pipescope.source.RunReader;
import dev.pipescope.source.Source;
import dev.pipescope.engine.EngineConnections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Python ETL framework (etl-core, SQLModel tables, in a SQLite file or a PostgreSQL database); its executions
 * are unified runs. Read only.
 */
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
        return Optional.of(new EtlRuns(connections.location(), connections.settings().naiveTimeZone(),
                connections.dialect()));
    }

    /** Read on both engines: etl-core's SQLModel tables in a SQLite file or, through SQLAlchemy, in PostgreSQL. */
    @Override
    public boolean readsOn(Dialect dialect) {
        return true;
    }

    /** The ETL store over this layout's tables, on either engine (read only). */
    public static EtlStore store(EngineConnections connections, ObjectMapper json) {
        return new SqlEtlStore(connections, json);
    }
}
