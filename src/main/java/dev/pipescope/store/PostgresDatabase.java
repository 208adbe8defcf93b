package dev.pipescope.store;

import dev.pipescope.ConnectionSettings;
import dev.pipescope.PipescopeDatabase;
import dev.pipescope.ServerTarget;
import dev.pipescope.domain.DagStore;
import dev.pipescope.domain.EtlStore;
import dev.pipescope.domain.HyperpageStore;
import dev.pipescope.domain.Layout;
import dev.pipescope.domain.PipelineRepository;
import dev.pipescope.domain.ProcessingMetricsRepository;
import dev.pipescope.domain.RunRepository;
import dev.pipescope.engine.Dialect;
import dev.pipescope.error.InvalidArgumentException;
import dev.pipescope.error.LayoutNotPresentException;
import dev.pipescope.error.UnknownSchemaException;
import dev.pipescope.postgres.PostgresConnections;
import dev.pipescope.postgres.PostgresMigrations;
import dev.pipescope.postgres.PostgresSchema;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipescope.source.dagger.DaggerSource;
import dev.pipescope.source.etl.EtlSource;
import dev.pipescope.source.hyperpage.HyperpageSource;
import dev.pipescope.source.pipeline.PipelineSource;
import dev.pipescope.source.runs.RunHistorySource;
import dev.pipescope.sqlite.SchemaInspector;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A Pipescope database on a PostgreSQL server: the same repositories, rules and mappers as a SQLite file,
 * over the tables of {@code migrations/postgresql/}.
 *
 * <p>Opening judges the database before anything writes to it, as for a file: an empty database, or one
 * with Pipescope's Flyway history, is migrated (read-write opens only); a database whose tables match no
 * layout Pipescope reads on PostgreSQL, or whose schema is newer than this Pipescope, is refused with
 * nothing changed.
 *
 * <pre>{@code
 * try (var db = Pipescope.open(ServerTarget.parse("postgresql://analyst@db.internal/fleet"))) {
 *     db.runs().unified(RunFilter.capped());
 * }
 * }</pre>
 */
public final class PostgresDatabase implements PipescopeDatabase {
    private final PostgresConnections connections;
    private final Set<Layout> layouts;
    private final PipelineRepository pipelines;
    private final ProcessingMetricsRepository metrics;
    private final DagStore dags;
    private final RunRepository runs;
    private final HyperpageStore hyperpage;
    private final EtlStore etl;

    private PostgresDatabase(PostgresConnections connections, Set<Layout> layouts) {
        this.connections = connections;
        this.layouts = Set.copyOf(layouts);
        this.pipelines = PipelineSource.pipelines(connections);
        this.metrics = PipelineSource.metrics(connections);
        this.dags = DaggerSource.store(connections);
        // run history is never added to a server database after the fact: Pipescope's own has it from V3, another
        // tool's database (Hyperpage's) never does
        Runnable requireHistory = () -> require(Layout.RUN_HISTORY);
        this.runs = RunHistorySource.repository(connections, Clock.systemUTC(),
                () -> this.layouts.contains(Layout.RUN_HISTORY), Sources.runReaders(connections, this.layouts),
                requireHistory, requireHistory);
        var json = new ObjectMapper();
        this.hyperpage = HyperpageSource.postgresStore(connections, json);
        this.etl = EtlSource.store(connections, json);
    }

    /**
     * Opens (migrating when allowed and needed) the database at {@code target}.
     *
     * @throws InvalidArgumentException when {@code target} or {@code settings} is null
     * @throws dev.pipescope.error.ServerUnreachableException when nothing answers at the host and port
     * @throws dev.pipescope.error.AuthenticationFailedException when the server refuses the role or password
     * @throws dev.pipescope.error.NotFoundException when the database does not exist
     * @throws dev.pipescope.error.UnsupportedServerException for a server before PostgreSQL 12
     * @throws UnknownSchemaException for tables that match no layout, or a newer Pipescope schema (nothing changed)
     */
    public static PostgresDatabase open(ServerTarget target, ConnectionSettings settings) {
        if (target == null || settings == null) {
            throw new InvalidArgumentException((target == null ? "PostgreSQL target"
                    : "connection settings for " + target.location()) + " is null");
        }
        var connections = PostgresConnections.open(target, settings);
        try {
            return new PostgresDatabase(connections, judge(connections));
        } catch (RuntimeException e) {
            try {
                connections.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** What the database holds, read in one read-only transaction. */
    private record Inspection(Map<String, Set<String>> tables, Set<Layout> layouts, List<Integer> applied) {}

    private static Inspection inspect(PostgresConnections connections) {
        return connections.read("read the schema", h -> {
            try {
                var tables = PostgresSchema.tables(h.getConnection());
                var layouts = EnumSet.noneOf(Layout.class);
                layouts.addAll(Sources.layouts(tables, Dialect.POSTGRESQL));
                var applied = layouts.contains(Layout.PIPESCOPE)
                        ? PostgresMigrations.appliedVersions(h.getConnection()) : List.<Integer>of();
                return new Inspection(tables, layouts, applied);
            } catch (SQLException e) {
                throw connections.translate(e, "read the schema");
            }
        });
    }

    /** The layouts the database holds once judged, and migrated when it is Pipescope's own and writable. */
    private static Set<Layout> judge(PostgresConnections connections) {
        var location = connections.location();
        var found = inspect(connections);
        int latest = PostgresMigrations.latestVersion();
        if (!found.applied().isEmpty() && found.applied().get(found.applied().size() - 1) > latest) {
            throw new UnknownSchemaException("database " + location + " has schema version "
                    + found.applied().get(found.applied().size() - 1) + " (flyway_schema_history), newer than this"
                    + " Pipescope, which knows versions up to " + latest + ". Upgrade Pipescope; nothing was changed.");
        }
        if (!found.tables().isEmpty() && found.layouts().isEmpty()) {
            var misses = SchemaInspector.nearMisses(found.tables(), Sources.signatures(Dialect.POSTGRESQL));
            throw new UnknownSchemaException("database " + location + " holds tables " + found.tables().keySet()
                    + ", which match no layout Pipescope reads on PostgreSQL"
                    + (misses.isEmpty() ? "" : "; missing: " + String.join("; ", misses))
                    + ". It is not a Pipescope database; nothing was changed.");
        }
        boolean own = found.tables().isEmpty() || found.layouts().contains(Layout.PIPESCOPE);
        if (connections.readOnly() || !own) {
            return found.layouts();
        }
        var conflicts = SchemaInspector.conflicts(found.tables(), Sources.createdByMigrations(Dialect.POSTGRESQL));
        if (!conflicts.isEmpty()) {
            throw new UnknownSchemaException("database " + location + " has tables Pipescope would manage, in another"
                    + " layout: " + String.join("; ", conflicts) + ". Nothing was changed.");
        }
        if (found.layouts().contains(Layout.PIPESCOPE) && found.applied().contains(latest)) {
            return found.layouts();
        }
        PostgresMigrations.migrate(connections.dataSource(), location);
        return inspect(connections).layouts();
    }

    @Override
    public PipelineRepository pipelines() {
        require(Layout.ADAPTIVE_PIPELINE);
        return pipelines;
    }

    @Override
    public ProcessingMetricsRepository metrics() {
        require(Layout.ADAPTIVE_PIPELINE);
        return metrics;
    }

    @Override
    public DagStore dags() {
        require(Layout.DAGGER);
        return dags;
    }

    @Override
    public RunRepository runs() {
        return runs;
    }

    /**
     * Hyperpage's own PostgreSQL database, read as its code leaves it; every write through it is refused.
     *
     * @throws LayoutNotPresentException when the database holds no Hyperpage tables
     */
    @Override
    public HyperpageStore hyperpage() {
        require(Layout.HYPERPAGE);
        return hyperpage;
    }

    /**
     * etl-core's tables as SQLAlchemy made them on PostgreSQL, read only.
     *
     * @throws LayoutNotPresentException when the database holds no ETL tables
     */
    @Override
    public EtlStore etl() {
        require(Layout.ETL);
        return etl;
    }

    /**
     * Nothing to do on Pipescope's own database, which has run history from its migrations.
     *
     * @throws LayoutNotPresentException for a database without it: a server database never gains it after the fact
     */
    @Override
    public void addRunHistory() {
        require(Layout.RUN_HISTORY);
    }

    /** Fails with a clear message when the database does not hold {@code layout}. */
    public void require(Layout layout) {
        if (!layouts.contains(layout)) {
            throw new LayoutNotPresentException("database " + location() + " holds no " + layout.description()
                    + " tables; it holds: " + (layouts.isEmpty() ? "no known tables" : layouts));
        }
    }

    private String location() {
        return connections.location();
    }

    @Override
    public Set<Layout> layouts() {
        return layouts;
    }

    /** Always empty: the database is on a server, not in a file. */
    @Override
    public Optional<Path> path() {
        return Optional.empty();
    }

    @Override
    public boolean readOnly() {
        return connections.readOnly();
    }

    @Override
    public ConnectionSettings settings() {
        return connections.settings();
    }

    @Override
    public PostgresConnections connections() {
        return connections;
    }

    @Override
    public String toString() {
        return "PostgresDatabase[" + location() + (readOnly() ? ", read-only" : "") + ", " + layouts + "]";
    }

    @Override
    public void close() {
        connections.close();
    }
}
