package dev.pipescope.domain;

import dev.pipescope.Pipescope;
import dev.pipescope.PipescopeDatabase;

/** The contract on the pure-Java in-memory database. */
class MemoryPipelineRepositoryTest extends PipelineRepositoryContract {
    @Override
    protected PipescopeDatabase openEmpty() {
        return Pipescope.inMemory();
    }
}
