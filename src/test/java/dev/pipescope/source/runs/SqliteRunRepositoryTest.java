package dev.pipescope.source.runs;

import dev.pipescope.Pipescope;
import dev.pipescope.PipescopeDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The run repository contract on a SQLite file. */
class SqliteRunRepositoryTest extends RunRepositoryContract {
    @TempDir
    Path dir;

    @Override
    PipescopeDatabase open() {
        return Pipescope.open(dir.resolve("runs.db"));
    }
}
