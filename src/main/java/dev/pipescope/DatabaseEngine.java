package dev.pipescope;

import java.nio.file.Path;

/**
 * A storage engine that {@link Pipescope} opens databases with, found through
 * {@link java.util.ServiceLoader} (as JDBC finds its drivers), so that the API at the bottom of the
 * layers never names an implementation. The SQLite engine is {@code dev.pipescope.store.SqliteEngine}.
 */
public interface DatabaseEngine {

    /** Opens (creating and migrating when allowed) the database file at {@code path}. */
    PipescopeDatabase open(Path path, ConnectionSettings settings);

    /** A new, migrated database that lives in memory and is gone when closed. */
    PipescopeDatabase inMemory();
}
