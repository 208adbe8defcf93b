package dev.pipescope.source.runs;

import dev.pipescope.Pipescope;
import dev.pipescope.PipescopeDatabase;
import dev.pipescope.testing.PostgresServer;

/** The run repository contract on a fresh database on a PostgreSQL server. */
class PostgresRunRepositoryTest extends RunRepositoryContract {
    @Override
    PipescopeDatabase open() {
        return Pipescope.open(PostgresServer.get().newPipescopeDatabase("runs"));
    }
}
