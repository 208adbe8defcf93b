package dev.pipescope.store;

import dev.pipescope.ConnectionSettings;
import dev.pipescope.PipescopeDatabase;
import dev.pipescope.ServerEngine;
import dev.pipescope.ServerTarget;

/** The PostgreSQL engine, registered for {@link dev.pipescope.Pipescope} in {@code META-INF/services}. */
public final class PostgresEngine implements ServerEngine {

    @Override
    public PipescopeDatabase open(ServerTarget target, ConnectionSettings settings) {
        return PostgresDatabase.open(target, settings);
    }
}
