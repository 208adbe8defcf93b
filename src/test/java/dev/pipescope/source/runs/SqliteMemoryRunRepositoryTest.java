package dev.pipescope.source.runs;

import dev.pipescope.Pipescope;
import dev.pipescope.PipescopeDatabase;

/** The run repository contract on SQLite's {@code :memory:}. */
class SqliteMemoryRunRepositoryTest extends RunRepositoryContract {
    @Override
    PipescopeDatabase open() {
        return Pipescope.inMemory();
    }
}
