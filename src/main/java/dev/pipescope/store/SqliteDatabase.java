package dev.pipescope.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipescope.ConnectionSettings;
import dev.pipescope.PipescopeDatabase;
import dev.pipescope.domain.DagStore;
import dev.pipescope.domain.EtlStore;
import dev.pipescope.domain.HyperpageStore;
import dev.pipescope.domain.Layout;
import dev.pipescope.domain.PipelineRepository;
import dev.pipescope.domain.ProcessingMetricsRepository;
import dev.pipescope.domain.RunRepository;
import dev.pipescope.error.InvalidArgumentException;
import dev.pipescope.error.LayoutNotPresentException;
import dev.pipescope.error.UnknownSchemaException;
import dev.pipescope.source.dagger.DaggerSource;
import dev.pipescope.source.etl.EtlSource;
import dev.pipescope.source.hyperpage.HyperpageSource;
import dev.pipescope.source.pipeline.PipelineSource;
import dev.pipescope.source.runs.RunHistorySource;
import dev.pipescope.sqlite.Migrations;
import dev.pipescope.sqlite.SqliteConnectionFactory;
import dev.pipescope.sqlite.SqliteFileCheck;
import dev.pipescope.sqlite.NonClosingDataSource;
import dev.pipescope.sqlite.SchemaInspector;
import dev.pipescope.sqlite.SqliteConnections;
import dev.pipescope.sqlite.SqliteErrors;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.ConnectionFactory;

/**
 * A Pipescope database in a SQLite file (or SQLite's {@code :memory:}).
 *
 * <p>Opening never writes before the file has been judged: the header is checked, then a read-only
 * connection reads which layouts the file holds and which migrations it has; only a file that is
 * new, Pipescope's own or of a layout Pipescope knows is migrated, and a newer or unknown schema is
 * refused with the file untouched.
 */
public final class SqliteDatabase implements PipescopeDatabase {

    private final String file;
    private final Path path;
    private final SqliteConnections connections;
    private final ConnectionSettings settings;
    /** Grows once at most: another tool's file gains run history on the first run recorded in it. */
    private volatile Set<Layout> layouts;
    private final PipelineRepository pipelines;
    private final ProcessingMetricsRepository metrics;
    private final DagStore dags;
    private final RunRepository runs;
    private final Clock clock = Clock.systemUTC();
    /**
     * Built on first use, under {@code storesLock}: most opens ({@code pipescope info}, a notebook on
     * pipelines) never read Hyperpage or etl-core tables, and Jackson's first ObjectMapper is ~25 ms of a
     * cold start. Not this object's lock: {@link #ensureRunHistory} holds that while it waits for the
     * writer, and a write transaction may ask for a store.
     */
    private final Object storesLock = new Object();
    private HyperpageStore hyperpage;
    private EtlStore etl;
    private ObjectMapper json;

    private SqliteDatabase(String file, Path path, SqliteConnections connections, ConnectionSettings settings,
                           Set<Layout> layouts) {
        this.file = file;
        this.path = path;
        this.connections = connections;
        this.settings = settings;
        this.layouts = Set.copyOf(layouts);
        this.pipelines = PipelineSource.pipelines(connections);
        this.metrics = PipelineSource.metrics(connections);
        this.dags = DaggerSource.store(connections);
        this.runs = RunHistorySource.repository(connections, clock, () -> this.layouts.contains(Layout.RUN_HISTORY),
                Sources.runReaders(connections, this.layouts), () -> require(Layout.RUN_HISTORY), this::ensureRunHistory);
    }

    /** Opens (creating and migrating when needed, unless read-only) the database at {@code path}. */
    public static SqliteDatabase open(Path path, ConnectionSettings settings) {
        if (path == null || settings == null) {
            throw new InvalidArgumentException(
                    (path == null ? "database path" : "connection settings for " + path) + " is null");
        }
        var absolute = path.toAbsolutePath().normalize();
        var file = absolute.toString();
        boolean exists = SqliteFileCheck.checkFile(absolute, settings.readOnly());
        boolean immutable = exists && settings.readOnly() && SqliteFileCheck.onReadOnlyMediaWithoutLog(absolute);
        var found = inspect(absolute, exists, immutable);
        var layouts = found.layouts();
        if (!found.older().isEmpty() && !settings.readOnly()) {
            throw new UnknownSchemaException("file " + file + " holds an older column set of "
                    + found.older().keySet() + " (e.g. the adaptive pipeline's own test data): "
                    + "Pipescope reads it read-only (Pipescope.openReadOnly) and never writes to it. "
                    + "The file was left untouched.");
        }
        // Pipescope's own file (new, empty, or with its Flyway history) is migrated and kept in WAL mode;
        // another tool's file is left as its tool made it: no tables added, its journal mode kept
        boolean own = found.tables().isEmpty() || layouts.contains(Layout.PIPESCOPE);
        if (!settings.readOnly() && own) {
            var conflicts = SchemaInspector.conflicts(found.tables(), Sources.createdByMigrations());
            if (!conflicts.isEmpty()) {
                throw new UnknownSchemaException("file " + file + " has tables Pipescope would manage, in another "
                        + "layout: " + String.join("; ", conflicts) + ". The file was left untouched.");
            }
            int latest = Migrations.latestVersion();
            boolean current = layouts.contains(Layout.PIPESCOPE) && found.applied().contains(latest);
            if (!current) {
                Migrations.migrate(SqliteConnectionFactory.dataSource(absolute, settings), file);
                layouts = inspect(absolute, true, false).layouts();
            }
        }
        var views = found.olderViews();
        ConnectionFactory writer = () -> SqliteConnectionFactory.connect(absolute, settings, true, own, immutable, views);
        ConnectionFactory reader = () -> SqliteConnectionFactory.connect(absolute, settings, false, own, immutable, views);
        return new SqliteDatabase(file, absolute, new SqliteConnections(file, settings, writer, reader, false), settings,
                layouts);
    }

    /** A migrated database in SQLite's {@code :memory:}: gone when closed. */
    public static SqliteDatabase memory() {
        var settings = ConnectionSettings.readWrite();
        Connection connection;
        try {
            connection = SqliteConnectionFactory.config(settings, true, true).createConnection("jdbc:sqlite::memory:");
        } catch (SQLException e) {
            throw SqliteErrors.translate(e, ":memory:", "open an in-memory database");
        }
        Migrations.migrate(new NonClosingDataSource(connection), ":memory:");
        ConnectionFactory only = () -> connection;
        var connections = new SqliteConnections(":memory:", settings, only, only, true);
        Set<Layout> layouts = connections.read("inspect tables", h -> {
            try {
                return Sources.layouts(SchemaInspector.tables(h.getConnection()));
            } catch (SQLException e) {
                throw SqliteErrors.translate(e, ":memory:", "inspect tables");
            }
        });
        return new SqliteDatabase(":memory:", null, connections, settings, layouts);
    }

    /** What an existing file holds, read through a read-only connection. */
    /** @param older per layout held in an older column set, the views that read it (read-only opens only) */
    private record Inspection(java.util.Map<String, Set<String>> tables, Set<Layout> layouts,
                              java.util.List<Integer> applied, java.util.Map<Layout, java.util.List<String>> older) {
        java.util.List<String> olderViews() {
            return older.values().stream().flatMap(java.util.List::stream).toList();
        }
    }

    private static Inspection inspect(Path path, boolean exists, boolean immutable) {
        var file = path.toString();
        if (!exists) {
            return new Inspection(java.util.Map.of(), EnumSet.noneOf(Layout.class), java.util.List.of(), java.util.Map.of());
        }
        try (var connection = SqliteConnectionFactory.connect(path, ConnectionSettings.readOnlyDefaults(), false, false, immutable)) {
            var tables = SchemaInspector.tables(connection);
            var layouts = EnumSet.noneOf(Layout.class);
            layouts.addAll(Sources.layouts(tables));
            var older = Sources.olderLayouts(tables, layouts);
            layouts.addAll(older.keySet());
            var applied = layouts.contains(Layout.PIPESCOPE)
                    ? Migrations.appliedVersions(connection) : java.util.List.<Integer>of();
            int latest = Migrations.latestVersion();
            if (!applied.isEmpty() && applied.get(applied.size() - 1) > latest) {
                throw new UnknownSchemaException("file " + file + " has schema version " + applied.get(applied.size() - 1)
                        + " (flyway_schema_history), newer than this Pipescope, which knows versions up to " + latest
                        + ". Upgrade Pipescope; the file was left untouched.");
            }
            if (!tables.isEmpty() && layouts.isEmpty()) {
                var misses = SchemaInspector.nearMisses(tables, Sources.signatures());
                throw new UnknownSchemaException("file " + file + " holds tables " + tables.keySet()
                        + ", which match no layout Pipescope knows"
                        + (misses.isEmpty() ? " (" + knownLayouts() + ")" : "; missing: " + String.join("; ", misses))
                        + ". The file was left untouched.");
            }
            return new Inspection(tables, layouts, applied, older);
        } catch (SQLException e) {
            throw SqliteErrors.translate(e, file, "read the schema");
        }
    }

    private static String knownLayouts() {
        return Arrays.stream(Layout.values()).map(Layout::description).reduce((a, b) -> a + "; " + b).orElse("");
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

    /**
     * Pipescope's run history, and "what ran?" over every run source the file holds. Works on a file of
     * any known layout; the methods that read or write {@code pipeline_runs} need {@link Layout#RUN_HISTORY}.
     */
    @Override
    public RunRepository runs() {
        return runs;
    }

    @Override
    public HyperpageStore hyperpage() {
        require(Layout.HYPERPAGE);
        synchronized (storesLock) {
            if (hyperpage == null) {
                hyperpage = HyperpageSource.store(connections, clock, json());
            }
            return hyperpage;
        }
    }

    @Override
    public EtlStore etl() {
        require(Layout.ETL);
        synchronized (storesLock) {
            if (etl == null) {
                etl = EtlSource.store(connections, json());
            }
            return etl;
        }
    }

    /**
     * Before the first run is written: a writable file of the adaptive pipeline tool without run history
     * gains Flyway's history and {@code pipeline_runs} (nothing else); any other file without it fails.
     */
    @Override
    public void addRunHistory() {
        ensureRunHistory();
    }

    private synchronized void ensureRunHistory() {
        if (layouts.contains(Layout.RUN_HISTORY)) {
            return;
        }
        if (readOnly() || !layouts.contains(Layout.ADAPTIVE_PIPELINE)) {
            require(Layout.RUN_HISTORY);
        }
        connections.withWriterConnection("add Pipescope's run history to " + file, c -> {
            var conflicts = SchemaInspector.conflicts(SchemaInspector.tables(c),
                    Map.of(Layout.RUN_HISTORY, Sources.signatures().get(Layout.RUN_HISTORY)));
            if (!conflicts.isEmpty()) {
                throw new UnknownSchemaException("file " + file + " has a table Pipescope's run history would use, in "
                        + "another layout: " + String.join("; ", conflicts) + ". Nothing was recorded.");
            }
            Migrations.adoptForRunHistory(new NonClosingDataSource(c), file);
            layouts = Set.copyOf(Sources.layouts(SchemaInspector.tables(c)));
            return null;
        });
    }

    /** The stores' shared mapper; called under {@code storesLock}. */
    private ObjectMapper json() {
        if (json == null) {
            json = new ObjectMapper();
        }
        return json;
    }

    /** Fails with a clear message when the file does not hold {@code layout}. */
    public void require(Layout layout) {
        if (!layouts.contains(layout)) {
            throw new LayoutNotPresentException("database " + file + " holds no " + layout.description()
                    + " tables; it holds: " + (layouts.isEmpty() ? "no known tables" : layouts));
        }
    }

    @Override
    public Set<Layout> layouts() {
        return layouts;
    }

    @Override
    public Optional<Path> path() {
        return Optional.ofNullable(path);
    }

    @Override
    public boolean readOnly() {
        return connections.readOnly();
    }

    @Override
    public ConnectionSettings settings() {
        return settings;
    }

    @Override
    public SqliteConnections connections() {
        return connections;
    }

    @Override
    public String toString() {
        return "SqliteDatabase[" + file + (readOnly() ? ", read-only" : "") + ", " + layouts + "]";
    }

    @Override
    public void close() {
        connections.close();
    }
}
