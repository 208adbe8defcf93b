package dev.pipescope.source.pipeline;

import dev.pipescope.Pipescope;
import dev.pipescope.PipescopeDatabase;
import dev.pipescope.testing.PostgresServer;

/** The contract on a fresh database on a PostgreSQL server. */
class PostgresPipelineRepositoryTest extends PipelineRepositoryContract {
    @Override
    protected PipescopeDatabase openEmpty() {
        return Pipescope.open(PostgresServer.get().newPipescopeDatabase("pipelines"));
    }
}
