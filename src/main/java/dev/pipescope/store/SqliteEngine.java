package dev.pipescope.store;

import dev.pipescope.ConnectionSettings;
import dev.pipescope.DatabaseEngine;
import dev.pipescope.PipescopeDatabase;
import java.nio.file.Path;

/** The SQLite engine, registered for {@link dev.pipescope.Pipescope} in {@code META-INF/services}. */
public final class SqliteEngine implements DatabaseEngine {

    @Override
    public PipescopeDatabase open(Path path, ConnectionSettings settings) {
        return SqliteDatabase.open(path, settings);
    }

    @Override
    public PipescopeDatabase inMemory() {
        return SqliteDatabase.memory();
    }
}
