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
import dev.pipescope.error.NotASqliteFileException;
import dev.pipescope.error.NotFoundException;
import dev.pipescope.error.StorageException;
import dev.pipescope.error.UnknownSchemaException;
import dev.pipescope.source.dagger.DaggerSource;
import dev.pipescope.source.etl.EtlSource;
import dev.pipescope.source.hyperpage.HyperpageSource;
import dev.pipescope.source.pipeline.PipelineSource;
import dev.pipescope.source.runs.RunHistorySource;
import dev.pipescope.sqlite.Migrations;
import dev.pipescope.sqlite.NonClosingDataSource;
import dev.pipescope.sqlite.SchemaInspector;
import dev.pipescope.sqlite.SchemaSql;
import dev.pipescope.sqlite.SqliteConnections;
import dev.pipescope.sqlite.SqliteErrors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * A Pipescope database in a SQLite file (or SQLite's {@code :memory:}).
 *
 * <p>Opening never writes before the file has been judged: the header is checked, then a read-only
 * connection reads which layouts the file holds and which migrations it has; only a file that is
 * new, Pipescope's own or of a layout Pipescope knows is migrated, and a newer or unknown schema is
 * refused with the file untouched.
 */
public final class SqliteDatabase implements PipescopeDatabase {
    private static final byte[] HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

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
    private final HyperpageStore hyperpage;
    private final EtlStore etl;

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
        var json = new ObjectMapper();
        var clock = Clock.systemUTC();
        this.runs = RunHistorySource.repository(connections, clock, () -> this.layouts.contains(Layout.RUN_HISTORY),
                Sources.runReaders(connections, this.layouts), () -> require(Layout.RUN_HISTORY), this::ensureRunHistory);
        this.hyperpage = HyperpageSource.store(connections, clock, json);
        this.etl = EtlSource.store(connections, json);
    }

    /** Opens (creating and migrating when needed, unless read-only) the database at {@code path}. */
    public static SqliteDatabase open(Path path, ConnectionSettings settings) {
        if (path == null || settings == null) {
            throw new InvalidArgumentException(
                    (path == null ? "database path" : "connection settings for " + path) + " is null");
        }
        var absolute = path.toAbsolutePath().normalize();
        var file = absolute.toString();
        boolean exists = checkFile(absolute, settings.readOnly());
        boolean immutable = exists && settings.readOnly() && onReadOnlyMediaWithoutLog(absolute);
        var found = inspect(absolute, exists, immutable);
        var layouts = found.layouts();
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
                Migrations.migrate(dataSource(absolute, settings), file);
                layouts = inspect(absolute, true, false).layouts();
            }
        }
        var writer = Jdbi.create(() -> connect(absolute, settings, true, own, immutable));
        var reader = Jdbi.create(() -> connect(absolute, settings, false, own, immutable));
        return new SqliteDatabase(file, absolute, new SqliteConnections(file, settings, writer, reader, false), settings,
                layouts);
    }

    /** A migrated database in SQLite's {@code :memory:}: gone when closed. */
    public static SqliteDatabase memory() {
        var settings = ConnectionSettings.readWrite();
        Connection connection;
        try {
            connection = config(settings, true, true).createConnection("jdbc:sqlite::memory:");
        } catch (SQLException e) {
            throw SqliteErrors.translate(e, ":memory:", "open an in-memory database");
        }
        Migrations.migrate(new NonClosingDataSource(connection), ":memory:");
        var jdbi = Jdbi.create(() -> connection);
        var connections = new SqliteConnections(":memory:", settings, jdbi, jdbi, true);
        Set<Layout> layouts = connections.read("inspect tables", h -> {
            try {
                return Sources.layouts(SchemaInspector.tables(h.getConnection()));
            } catch (SQLException e) {
                throw SqliteErrors.translate(e, ":memory:", "inspect tables");
            }
        });
        return new SqliteDatabase(":memory:", null, connections, settings, layouts);
    }

    /**
     * The database size the header declares (page count times page size), or 0 when the header says
     * the count is not to be trusted (written by an old SQLite; "version-valid-for" differs from the
     * change counter).
     */
    private static long declaredSize(byte[] header) {
        var bytes = java.nio.ByteBuffer.wrap(header);
        int pageSize = Short.toUnsignedInt(bytes.getShort(16));
        long pages = Integer.toUnsignedLong(bytes.getInt(28));
        boolean valid = bytes.getInt(24) == bytes.getInt(92);
        return valid ? pages * (pageSize == 1 ? 65_536 : pageSize) : 0;
    }

    private static boolean hasContent(Path path) {
        try {
            return Files.isRegularFile(path) && Files.size(path) > 0;
        } catch (IOException e) {
            return true;
        }
    }

    /** Checks the file before SQLite touches it. @return whether it exists with content */
    private static boolean checkFile(Path path, boolean readOnly) {
        var file = path.toString();
        if (Files.isDirectory(path)) {
            throw new NotASqliteFileException(file + " is a directory, not a SQLite database file");
        }
        if (!Files.exists(path)) {
            if (readOnly) {
                throw new NotFoundException("no database file at " + file);
            }
            var parent = path.getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new NotFoundException("cannot create " + file + ": directory " + parent + " does not exist");
            }
            return false;
        }
        if (!Files.isReadable(path)) {
            throw new StorageException("cannot read " + file + ": permission denied");
        }
        long size;
        try {
            size = Files.size(path);
        } catch (IOException e) {
            throw new StorageException("cannot read the size of " + file + ": " + e.getMessage(), e);
        }
        if (size == 0) {
            if (readOnly) {
                throw new NotASqliteFileException(file + " is empty (0 bytes), not a SQLite database");
            }
            return false;
        }
        byte[] header = new byte[100];
        int read;
        try (InputStream in = Files.newInputStream(path)) {
            read = in.readNBytes(header, 0, header.length);
        } catch (IOException e) {
            throw new StorageException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (read < HEADER.length || !Arrays.equals(header, 0, HEADER.length, HEADER, 0, HEADER.length)) {
            var shown = new String(header, 0, Math.min(read, HEADER.length), StandardCharsets.ISO_8859_1)
                    .replaceAll("[^\\x20-\\x7e]", "?");
            throw new NotASqliteFileException(file + " is not a SQLite database: its first bytes are '" + shown
                    + "', not 'SQLite format 3'");
        }
        if (size < 100) {
            throw new NotASqliteFileException(file + " is truncated: " + size
                    + " bytes, shorter than a SQLite header");
        }
        long declared = declaredSize(header);
        // with a write-ahead log a checkpoint may have been cut short; SQLite repairs that from the log
        if (declared > size && !hasContent(Path.of(file + "-wal"))) {
            throw new NotASqliteFileException(file + " is truncated: its header declares " + declared
                    + " bytes, the file has " + size);
        }
        return true;
    }

    /** What an existing file holds, read through a read-only connection. */
    private record Inspection(java.util.Map<String, Set<String>> tables, Set<Layout> layouts,
                              java.util.List<Integer> applied) {}

    /**
     * A WAL-mode file in a directory SQLite cannot write (a copied or mounted file, read-only media) cannot
     * be opened the usual way: reading it means creating its {@code -shm} index beside it. With no log
     * beside it every row is in the file itself, so SQLite's {@code immutable} open reads it exactly; with a
     * log whose index cannot be made, the rows in the log cannot be read, and that is an error that says so.
     */
    private static boolean onReadOnlyMediaWithoutLog(Path path) {
        var dir = path.getParent();
        if (dir == null || Files.isWritable(dir) || !walMode(path)) {
            return false;
        }
        var wal = Path.of(path + "-wal");
        var shm = Path.of(path + "-shm");
        if (!hasContent(wal)) {
            return true;
        }
        if (Files.isReadable(shm)) {
            return false;
        }
        throw new StorageException("cannot read " + path + " in place: it is in WAL mode and its log " + wal
                + " holds rows that SQLite reads only through an index (" + shm + ") it would have to create, but "
                + dir + " is read-only. Copy the database and its -wal file to a writable directory and open the copy.");
    }

    /** True when the header says the file is in WAL mode (read and write versions 2). */
    private static boolean walMode(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            var header = in.readNBytes(20);
            return header.length == 20 && header[18] == 2 && header[19] == 2;
        } catch (IOException e) {
            throw new StorageException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static Inspection inspect(Path path, boolean exists, boolean immutable) {
        var file = path.toString();
        if (!exists) {
            return new Inspection(java.util.Map.of(), EnumSet.noneOf(Layout.class), java.util.List.of());
        }
        try (var connection = connect(path, ConnectionSettings.readOnlyDefaults(), false, false, immutable)) {
            var tables = SchemaInspector.tables(connection);
            var layouts = Sources.layouts(tables);
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
            return new Inspection(tables, layouts, applied);
        } catch (SQLException e) {
            throw SqliteErrors.translate(e, file, "read the schema");
        }
    }

    private static String knownLayouts() {
        return Arrays.stream(Layout.values()).map(Layout::description).reduce((a, b) -> a + "; " + b).orElse("");
    }

    /** @param walMode whether the writer puts the file in WAL mode (Pipescope's own files only) */
    static SQLiteConfig config(ConnectionSettings settings, boolean writer, boolean walMode) {
        var config = new SQLiteConfig();
        config.setBusyTimeout(settings.busyTimeoutMs());
        config.enforceForeignKeys(true);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        if (writer && !settings.readOnly()) {
            // readers keep SQLite's temporary files: in memory, big sorts ran as one slow in-memory sort
            config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        }
        config.setCacheSize(-(writer ? settings.writerCacheKib() : settings.readerCacheKib()));
        // sqlite-jdbc otherwise runs "SELECT last_insert_rowid()" after every update for getGeneratedKeys,
        // which nothing here uses (ids come from ULIDs, or from last_insert_rowid() asked explicitly)
        config.setGetGeneratedKeys(false);
        // sqlite-jdbc already serialises every call on a connection (its native methods are synchronized),
        // so SQLite's own per-connection mutex only adds a lock per call: without it a point lookup's
        // ~100 value reads ran 10-15% faster
        config.setOpenMode(org.sqlite.SQLiteOpenMode.NOMUTEX);
        if (settings.readOnly()) {
            config.setReadOnly(true);
        } else if (writer) {
            if (walMode) {
                config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            }
            config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        }
        return config;
    }

    /** @param immutable open with SQLite's {@code immutable=1}: no locks, no log (read-only media only) */
    static Connection connect(Path path, ConnectionSettings settings, boolean writer, boolean walMode,
                              boolean immutable) throws SQLException {
        var url = immutable ? "jdbc:sqlite:" + path.toUri() + "?immutable=1" : "jdbc:sqlite:" + path;
        var connection = config(settings, writer, walMode).createConnection(url);
        if (settings.readOnly() || !writer) {
            // readers never write, even by accident; read-only files doubly so
            try (var st = connection.createStatement()) {
                st.execute(SchemaSql.QUERY_ONLY);
            } catch (SQLException e) {
                connection.close();
                throw e;
            }
        }
        return connection;
    }

    private static SQLiteDataSource dataSource(Path path, ConnectionSettings settings) {
        var source = new SQLiteDataSource(config(settings, true, true));
        source.setUrl("jdbc:sqlite:" + path);
        return source;
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
        return hyperpage;
    }

    @Override
    public EtlStore etl() {
        require(Layout.ETL);
        return etl;
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
