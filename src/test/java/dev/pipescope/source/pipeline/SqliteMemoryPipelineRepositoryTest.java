package dev.pipescope.source.pipeline;

import dev.pipescope.PipescopeDatabase;
import dev.pipescope.store.SqliteDatabase;

/** The contract on SQLite's {@code :memory:}. */
class SqliteMemoryPipelineRepositoryTest extends PipelineRepositoryContract {
    @Override
    protected PipescopeDatabase openEmpty() {
        return SqliteDatabase.memory();
    }
}
