package dev.pipescope;

import dev.pipescope.store.memory.MemoryDatabase;
import dev.pipescope.store.sqlite.ConnectionSettings;
import dev.pipescope.store.sqlite.SqliteDatabase;
import java.nio.file.Path;

/**
 * Where every Pipescope session starts.
 *
 * <pre>{@code
 * try (var db = Pipescope.open(Path.of("pipeline.db"))) {           // creates + migrates if needed
 *     db.pipelines().save(Pipeline.builder("compress-logs").build());
 * }
 * var ro = Pipescope.openReadOnly(Path.of("/data/prod/pipeline.db")); // never writes, never migrates
 * var mem = Pipescope.inMemory();                                     // same API, nothing on disk
 * }</pre>
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
        return SqliteDatabase.open(path, ConnectionSettings.readWrite());
    }

    /** Opens an existing database read-only: never writes, never migrates; writes fail with a typed error. */
    public static PipescopeDatabase openReadOnly(Path path) {
        return SqliteDatabase.open(path, ConnectionSettings.readOnlyDefaults());
    }

    /** Opens with explicit connection settings (busy timeout, reader pool size, read-only). */
    public static PipescopeDatabase open(Path path, ConnectionSettings settings) {
        return SqliteDatabase.open(path, settings);
    }

    /** A database held in plain Java collections: the same API and contract, nothing on disk. */
    public static PipescopeDatabase inMemory() {
        return new MemoryDatabase();
    }
}
