package dev.pipescope.store;

import dev.pipescope.Pipescope;
import dev.pipescope.PipescopeDatabase;

/** The run repository contract in memory. */
class MemoryRunRepositoryTest extends RunRepositoryContract {
    @Override
    PipescopeDatabase open() {
        return Pipescope.inMemory();
    }
}
