package dev.pipescope;

/**
 * A storage engine for databases on a server (PostgreSQL), found through {@link java.util.ServiceLoader}
 * as {@link DatabaseEngine} is for files, so the API never names an implementation.
 */
public interface ServerEngine {

    /**
     * Opens the database at {@code target}: read-write opens create Pipescope's tables (Flyway) in an empty
     * database and migrate its own; a read-only open never writes (every transaction is read-only).
     */
    PipescopeDatabase open(ServerTarget target, ConnectionSettings settings);
}
