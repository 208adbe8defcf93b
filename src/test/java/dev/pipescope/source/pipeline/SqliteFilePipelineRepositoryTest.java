package dev.pipescope.source.pipeline;

import dev.pipescope.Pipescope;
import dev.pipescope.PipescopeDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The contract on a SQLite file in a temporary directory. */
class SqliteFilePipelineRepositoryTest extends PipelineRepositoryContract {
    @TempDir
    Path dir;

    @Override
    protected PipescopeDatabase openEmpty() throws Exception {
        return Pipescope.open(Files.createTempFile(dir, "contract", ".db"));
    }
}
