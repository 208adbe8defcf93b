package dev.pipescope.notebook;

import static dev.pipescope.testing.SecretAssert.assertHidden;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.DatabaseLocation;
import dev.pipescope.Pipescope;
import dev.pipescope.domain.Pipeline;
import dev.pipescope.error.ConfigException;
import dev.pipescope.error.InvalidArgumentException;
import dev.pipescope.error.PipescopeException;
import dev.pipescope.error.UnknownAliasException;
import dev.pipescope.kernel.MimeBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notebook session on aliases: {@code PIPESCOPE_DB=alias}, {@code open("alias")}, and everything it shows
 * when an alias is wrong or its server cannot be reached, none of it holding the password.
 */
class NotebookConfigTest {
    static final String SECRET = "Nb-s3cret-Zq7";

    @TempDir
    Path home;
    Path runs;
    Path config;

    @BeforeEach
    void files() throws IOException {
        runs = home.resolve("data/runs.db");
        Files.createDirectories(runs.getParent());
        try (var db = Pipescope.open(runs)) {
            db.pipelines().save(Pipeline.builder("ship-logs").build());
        }
        config = writeConfig("rw-------",
                "database.laptop.path=~/data/runs.db",
                "database.prod.url=postgresql://analyst@127.0.0.1:1/fleet?sslpassword=" + SECRET + "&ssl=true",
                "database.prod.password=" + SECRET,
                "database.prod.connect-timeout-ms=500");
    }

    Path writeConfig(String mode, String... lines) throws IOException {
        var file = home.resolve(".config/pipescope/pipescope.properties");
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", lines) + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    Map<String, String> env(String... namesAndValues) {
        var env = new HashMap<String, String>();
        env.put("HOME", home.toString());
        for (int i = 0; i < namesAndValues.length; i += 2) {
            env.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return env;
    }

    @Test
    void pipescopeDbMayBeAnAliasOfAFile() {
        try (var session = NotebookSession.fromEnvironment(env("PIPESCOPE_DB", "laptop"))) {
            assertEquals(runs, session.db().path().orElseThrow());
            var described = session.describe();
            assertTrue(described.startsWith("laptop: " + runs + " (read-write)"), described);
            assertEquals(1, session.pipelines().rowCount());
        }
    }

    @Test
    void openTakesAnAliasAPathOrAUrl() {
        try (var session = NotebookSession.fromEnvironment(env())) {
            assertTrue(session.current().isEmpty());
            assertTrue(session.openReadOnly("LAPTOP").startsWith("laptop: " + runs + " (read-only)"));
            assertTrue(session.open(runs.toString()).startsWith(runs + " (read-write)"));
            assertTrue(session.open("laptop").startsWith("laptop: " + runs + " (read-write)"));

            var unknown = assertHidden(SECRET, assertThrows(UnknownAliasException.class, () -> session.open("prodd")));
            assertEquals(List.of("laptop", "prod"), unknown.known());
            assertTrue(session.describe().startsWith("laptop: "), "a failed open keeps the current database");
        }
    }

    @Test
    void aServerThatCannotBeOpenedSaysWhyWithoutThePassword() {
        try (var session = NotebookSession.fromEnvironment(env("PIPESCOPE_DB", "prod"))) {
            var why = assertHidden(SECRET, assertThrows(InvalidArgumentException.class, session::pipelines));
            assertTrue(why.getMessage().startsWith("PIPESCOPE_DB could not be opened ("), why.getMessage());
            assertHidden(SECRET, assertThrows(PipescopeException.class, () -> session.open("prod")));
            assertHidden(SECRET, assertThrows(PipescopeException.class,
                    () -> session.openReadOnly("postgresql://analyst:" + SECRET + "@127.0.0.1:1/fleet")));

            // the resolved location and its target, shown as the kernel shows a cell's value: HTML and text
            var location = (DatabaseLocation.Server) session.config().resolve("prod");
            assertEquals(SECRET, location.target().password().orElseThrow().reveal());
            var recorded = new PipescopeIntegrationTest.Recorded(Map.of());
            new PipescopeIntegration().configure(recorded);
            MimeBundle shown = recorded.renderers.get(DatabaseLocation.Server.class).apply(location);
            shown.data().values().forEach(value -> assertHidden(SECRET, String.valueOf(value)));
            var text = String.valueOf(shown.data().get("text/plain"));
            assertTrue(text.contains("postgresql://analyst@127.0.0.1:1/fleet") && text.contains("pool_connections")
                    && text.contains("from database.prod.password (line 3 of " + config + ")"), text);
            MimeBundle target = recorded.renderers.get(dev.pipescope.ServerTarget.class).apply(location.target());
            target.data().values().forEach(value -> assertHidden(SECRET, String.valueOf(value)));
            assertTrue(String.valueOf(target.data().get("text/plain")).contains("sslpassword=****&ssl=true"),
                    target.data().toString());
            assertHidden(SECRET, location.toString());
        }
    }

    @Test
    void aBrokenConfigIsReportedWhenAHelperNeedsTheDatabase() throws IOException {
        writeConfig("rw-r--r--", "database.prod.url=postgresql://analyst@127.0.0.1:1/fleet", "database.prod.password=" + SECRET);
        try (var session = NotebookSession.fromEnvironment(env("PIPESCOPE_DB", "prod"))) {
            var why = assertHidden(SECRET, assertThrows(InvalidArgumentException.class, session::runs));
            assertTrue(why.getMessage().contains(config.toString()) && why.getMessage().contains("chmod 600"), why.getMessage());
            assertTrue(why.getCause() instanceof ConfigException, String.valueOf(why.getCause()));
        }
        writeConfig("rw-------", "database.prod.url=postgresql://analyst@127.0.0.1:1/fleet", "database.prod.pool-size=lots",
                "database.prod.password=" + SECRET);
        try (var session = NotebookSession.fromEnvironment(env("PIPESCOPE_DB", "prod"))) {
            var why = assertHidden(SECRET, assertThrows(InvalidArgumentException.class, session::runs));
            assertTrue(why.getMessage().contains("database.prod.pool-size (line 2 of " + config + ")"), why.getMessage());
            // a path still opens: the config file is read only for aliases
            assertTrue(session.open(runs.toString()).startsWith(runs.toString()));
        }
    }
}
