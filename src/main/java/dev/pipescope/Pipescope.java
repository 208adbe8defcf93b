package dev.pipescope;

import dev.pipescope.error.StorageException;
import java.nio.file.Path;
import java.util.ServiceLoader;

/**
 * Where every Pipescope session starts.
 *
 * <pre>{@code
 * try (var db = Pipescope.open(Path.of("pipeline.db"))) {           // creates + migrates if needed
 *     db.pipelines().save(Pipeline.builder("compress-logs").build());
 * }
 * var ro = Pipescope.openReadOnly(Path.of("/data/prod/pipeline.db")); // never writes, never migrates
 * var mem = Pipescope.inMemory();                                     // same API, nothing on disk
 * var prod = Pipescope.open("prod");      // an alias, a postgresql:// URL or a path: see DatabaseConfig
 * }</pre>
 *
 * <p>A demo database comes from {@code dev.pipescope.demo.DemoData#create}; backups and health from
 * {@code dev.pipescope.ops.Backups#of} and {@code dev.pipescope.ops.Health#check}.
 */
public final class Pipescope {
    private Pipescope() {}

    /**
     * Opens a database for reading and writing, creating the file if it does not exist. A new file, a
     * Pipescope file with pending migrations, or a file of a tool whose layout Pipescope knows is
     * migrated (additively: the other tool can still open it).
     *
     * @throws dev.pipescope.error.NotASqliteFileException when the file is not SQLite
     * @throws dev.pipescope.error.UnknownSchemaException for a newer schema or an unknown layout (file untouched)
     */
    public static PipescopeDatabase open(Path path) {
        return engine().open(path, ConnectionSettings.readWrite());
    }

    /** Opens an existing database read-only: never writes, never migrates; writes fail with a typed error. */
    public static PipescopeDatabase openReadOnly(Path path) {
        return engine().open(path, ConnectionSettings.readOnlyDefaults());
    }

    /** Opens with explicit connection settings (busy timeout, reader pool size, read-only). */
    public static PipescopeDatabase open(Path path, ConnectionSettings settings) {
        return engine().open(path, settings);
    }

    /** A migrated SQLite {@code :memory:} database: the same API, rules and SQL as a file, nothing on disk. */
    public static PipescopeDatabase inMemory() {
        return engine().inMemory();
    }

    /**
     * Opens a database on a PostgreSQL server for reading and writing: an empty database gains Pipescope's
     * tables (Flyway), a Pipescope database its pending migrations.
     *
     * <pre>{@code
     * try (var db = Pipescope.open(ServerTarget.parse("postgresql://analyst@db.internal/fleet"))) { ... }
     * }</pre>
     */
    public static PipescopeDatabase open(ServerTarget target) {
        return serverEngine().open(target, ConnectionSettings.readWrite());
    }

    /** Opens a database on a PostgreSQL server read-only: every transaction is read-only, nothing is migrated. */
    public static PipescopeDatabase openReadOnly(ServerTarget target) {
        return serverEngine().open(target, ConnectionSettings.readOnlyDefaults());
    }

    /** Opens a database on a PostgreSQL server with explicit settings (read-only, zone of naive timestamps). */
    public static PipescopeDatabase open(ServerTarget target, ConnectionSettings settings) {
        return serverEngine().open(target, settings);
    }

    /**
     * Opens the database an alias, a server URL or a file path names, as {@link DatabaseConfig#resolve(String)}
     * finds it from this process's environment and the user's config file: a SQLite file opens as
     * {@link #open(Path)}, a server database as {@link #open(ServerTarget)}.
     *
     * <pre>{@code
     * Pipescope.open("prod");                                   // database.prod.* in ~/.config/pipescope/pipescope.properties
     * Pipescope.open("postgresql://analyst@db.internal/fleet"); // password from PGPASSWORD or ~/.pgpass
     * Pipescope.open("runs/pipeline.db");                       // a SQLite file
     * }</pre>
     *
     * @throws dev.pipescope.error.UnknownAliasException for a name that is no alias and no file
     * @throws dev.pipescope.error.ConfigException       for a malformed, unreadable or insecure configuration
     * @throws dev.pipescope.error.InvalidArgumentException for a URL that does not parse
     */
    public static PipescopeDatabase open(String database) {
        return open(DatabaseConfig.fromEnvironment().resolve(database));
    }

    /** As {@link #open(String)}, read-only: never writes, never migrates. */
    public static PipescopeDatabase openReadOnly(String database) {
        return openReadOnly(DatabaseConfig.fromEnvironment().resolve(database));
    }

    /** Opens a resolved location for reading and writing: a file as {@link #open(Path)}, a server as {@link #open(ServerTarget)}. */
    public static PipescopeDatabase open(DatabaseLocation location) {
        return open(location, ConnectionSettings.readWrite());
    }

    /** Opens a resolved location read-only. */
    public static PipescopeDatabase openReadOnly(DatabaseLocation location) {
        return open(location, ConnectionSettings.readOnlyDefaults());
    }

    /** Opens a resolved location with explicit settings. */
    public static PipescopeDatabase open(DatabaseLocation location, ConnectionSettings settings) {
        if (location instanceof DatabaseLocation.Server server) {
            return open(server.target(), settings);
        }
        return open(((DatabaseLocation.File) location).path(), settings);
    }

    private static volatile ServerEngine serverEngine;

    /** The server engine on the class path (PostgreSQL). */
    private static ServerEngine serverEngine() {
        var found = serverEngine;
        if (found == null) {
            found = ServiceLoader.load(ServerEngine.class, Pipescope.class.getClassLoader()).findFirst()
                    .orElseThrow(() -> new StorageException("no Pipescope server engine on the class path: "
                            + "META-INF/services/" + ServerEngine.class.getName() + " is missing from the jar"));
            serverEngine = found;
        }
        return found;
    }

    private static volatile DatabaseEngine engine;

    /** The storage engine on the class path (one today: SQLite). */
    private static DatabaseEngine engine() {
        var found = engine;
        if (found == null) {
            found = ServiceLoader.load(DatabaseEngine.class, Pipescope.class.getClassLoader()).findFirst()
                    .orElseThrow(() -> new StorageException("no Pipescope storage engine on the class path: "
                            + "META-INF/services/" + DatabaseEngine.class.getName() + " is missing from the jar"));
            engine = found;
        }
        return found;
    }
}
