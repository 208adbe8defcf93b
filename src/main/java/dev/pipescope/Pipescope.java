package dev.pipescope;

import dev.pipescope.demo.DemoData;
import dev.pipescope.demo.DemoScale;
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

    /**
     * Creates a realistic demo database in a new file and returns it open: pipelines with stages, and
     * weeks of runs with failures and retries ({@link DemoScale#SMALL} about 5,000 runs, up to
     * {@link DemoScale#LARGE}, a million). The same every time.
     *
     * @throws dev.pipescope.error.InvalidArgumentException when the file already exists
     */
    public static PipescopeDatabase demo(Path path, DemoScale scale) {
        return DemoData.create(path, scale, DemoData.DEFAULT_SEED);
    }

    /** {@link #demo(Path, DemoScale)} with another seed: the same seed makes the same database. */
    public static PipescopeDatabase demo(Path path, DemoScale scale, long seed) {
        return DemoData.create(path, scale, seed);
    }

    /** A database held in plain Java collections: the same API and contract, nothing on disk. */
    public static PipescopeDatabase inMemory() {
        return new MemoryDatabase();
    }
}
