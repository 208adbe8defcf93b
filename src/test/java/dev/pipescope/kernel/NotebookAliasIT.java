package dev.pipescope.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.Pipescope;
import dev.pipescope.domain.Pipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel started with {@code PIPESCOPE_DB} set to an alias of a real config file, driven by a real
 * jupyter_client: the helpers work on the alias's file, {@code open("alias")} works and fails as it should,
 * and neither a cell's output nor the kernel's own output (its stderr reaches this test) holds the password
 * of the config file's server alias. The cases live in src/test/python/notebook_alias_test.py.
 */
class NotebookAliasIT {
    static final String SECRET = "Kernel-s3cret-Zq7";

    @TempDir
    static Path temp;
    static JupyterHarness jupyter;

    @BeforeAll
    static void installKernel() throws Exception {
        jupyter = JupyterHarness.install(temp);
    }

    @Test
    void theNotebookOpensAnAliasAndShowsNoPassword() throws Exception {
        var laptop = Files.createDirectories(temp.resolve("data")).resolve("laptop.db");
        try (var db = Pipescope.open(laptop)) {
            db.pipelines().save(Pipeline.builder("ship-logs").build());
        }
        var config = temp.resolve("pipescope.properties");
        Files.writeString(config, String.join("\n",
                "database.laptop.path=" + laptop,
                "database.prod.url=postgresql://analyst@127.0.0.1:1/fleet",
                "database.prod.password=" + SECRET,
                "database.prod.connect-timeout-ms=500") + "\n");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
        jupyter.environment.put("PIPESCOPE_CONFIG", config.toString());
        jupyter.environment.put("PIPESCOPE_DB", "laptop");
        jupyter.environment.put("PGPASSFILE", temp.resolve("no-pgpass").toString());

        JupyterHarness.Result result = jupyter.pythonSuite("notebook_alias_test.py", SECRET, "-v");

        assertTrue(result.output().strip().endsWith("OK"), "some cases were skipped or failed:\n" + result.output());
        assertFalse(result.output().contains(SECRET), "the password shows in the kernel's or the client's output");
    }
}
