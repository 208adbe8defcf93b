package dev.pipescope.cli;

import static dev.pipescope.testing.SecretAssert.assertHidden;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.Pipescope;
import dev.pipescope.domain.Pipeline;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pipescope} with database aliases, in-process with an explicit environment: {@code info} and the file
 * commands take an alias, {@code databases} lists them with where credentials come from, and no output, on
 * success or failure, holds the password.
 */
class AliasCommandsTest {
    static final String SECRET = "Cli-s3cret-Zq7";

    @TempDir
    Path home;
    Path local;
    Path config;

    @BeforeEach
    void files() throws IOException {
        local = home.resolve("runs/local.db");
        Files.createDirectories(local.getParent());
        try (var db = Pipescope.open(local)) {
            db.pipelines().save(Pipeline.builder("ship-logs").build());
        }
        config = writeConfig("rw-------",
                "database.local.path=" + local,
                "database.fresh.path=~/runs/fresh.db",
                "database.prod.url=postgresql://analyst@127.0.0.1:1/fleet?sslpassword=" + SECRET,
                "database.prod.password=" + SECRET,
                "database.prod.pool-size=6");
    }

    Path writeConfig(String mode, String... lines) throws IOException {
        var file = home.resolve(".config/pipescope/pipescope.properties");
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", lines) + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    record Result(int code, String out, String err) {
        Result hiding(String secret) {
            assertHidden(secret, out);
            assertHidden(secret, err);
            return this;
        }
    }

    Result run(Map<String, String> extra, String... args) {
        var env = new HashMap<String, String>();
        env.put("HOME", home.toString());
        env.putAll(extra);
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Main.run(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)).hiding(SECRET);
    }

    Result run(String... args) {
        return run(Map.of(), args);
    }

    @Test
    void infoAndTheFileCommandsTakeAnAliasOfAFile() {
        var info = run("info", "local");
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains(local.toString()) && info.out().contains("rows in pipelines"), info.out());

        var health = run("health", "LOCAL", "--json");
        assertEquals(0, health.code(), health.err());
        var backup = run("backup", "local", "--json");
        assertEquals(0, backup.code(), backup.err());
        assertTrue(Files.isDirectory(local.resolveSibling("backups")), "the backup is beside the alias's file");

        var created = run("migrate", "fresh", "--create");
        assertEquals(0, created.code(), created.err());
        assertTrue(Files.exists(home.resolve("runs/fresh.db")), "an alias names the file a command creates");
    }

    @Test
    void aFileCommandOnAServerAliasIsAUsageErrorNamingItWithoutThePassword() {
        var backup = run("backup", "prod");
        assertEquals(ExitCodes.USAGE, backup.code());
        assertTrue(backup.err().contains("works on SQLite files") && backup.err().contains("postgresql://analyst@127.0.0.1:1/fleet"),
                backup.err());

        var json = run("verify", "postgresql://analyst:" + SECRET + "@127.0.0.1:1/fleet", "--json");
        assertEquals(ExitCodes.USAGE, json.code());
        assertTrue(json.out().contains("\"type\" : \"InvalidArgumentException\"") || json.out().contains("\"type\":\"InvalidArgumentException\""),
                json.out());
    }

    @Test
    void infoOnAServerThatCannotBeOpenedFailsWithoutThePassword() {
        var info = run("info", "prod");
        assertNotEquals(0, info.code());
        assertTrue(info.err().startsWith("pipescope info: "), info.err());
        var direct = run("info", "--json", "postgresql://analyst:" + SECRET + "@127.0.0.1:1/fleet");
        assertNotEquals(0, direct.code());
        assertTrue(direct.out().contains("\"error\""), direct.out());
    }

    @Test
    void badNamesAndBadConfigurationExitWithTheirCodes() throws IOException {
        var unknown = run("info", "prodd");
        assertEquals(ExitCodes.NOT_FOUND, unknown.code());
        assertTrue(unknown.err().contains("known: fresh, local, prod"), unknown.err());

        writeConfig("rw-------", "database.prod.url=postgresql://analyst@127.0.0.1:1/fleet",
                "database.prod.password=" + SECRET, "database.prod.pool-size=six");
        var malformed = run("info", "prod");
        assertEquals(ExitCodes.USAGE, malformed.code());
        assertTrue(malformed.err().contains("database.prod.pool-size (line 3 of " + config + ")"), malformed.err());

        writeConfig("rw-r--r--", "database.prod.url=postgresql://analyst@127.0.0.1:1/fleet", "database.prod.password=" + SECRET);
        var insecure = run("databases");
        assertEquals(ExitCodes.USAGE, insecure.code());
        assertTrue(insecure.err().contains("chmod 600 " + config), insecure.err());

        var unreadable = run(Map.of("PIPESCOPE_CONFIG", home.resolve("nothing.properties").toString()), "databases", "--json");
        assertEquals(ExitCodes.ERROR, unreadable.code());
        assertTrue(unreadable.out().contains("UnreadableConfigException"), unreadable.out());

        var badUrl = run("databases", "postgresql://analyst:" + SECRET + "@db.internal");
        assertEquals(ExitCodes.USAGE, badUrl.code());
        assertTrue(badUrl.err().contains("names no database"), badUrl.err());
    }

    @Test
    void databasesListsEveryAliasAndWhereItsCredentialsComeFrom() {
        var list = run(Map.of("PIPESCOPE_DATABASE_STAGING_URL", "postgresql://staging.internal/fleet", "PGUSER", "pg-analyst"),
                "databases");
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().startsWith("config file: " + config), list.out());
        assertTrue(list.out().contains("local: " + local + " (SQLite file)"), list.out());
        assertTrue(list.out().contains("prod: postgresql://analyst@127.0.0.1:1/fleet?sslpassword=****"), list.out());
        assertTrue(list.out().contains("password  from database.prod.password (line 4 of " + config + ")"), list.out());
        assertTrue(list.out().contains("pool      6 connections"), list.out());
        assertTrue(list.out().contains("staging: postgresql://pg-analyst@staging.internal:5432/fleet"), list.out());
        assertTrue(list.out().contains("user      pg-analyst, from PGUSER"), list.out());

        var one = run(Map.of("PGPASSWORD", SECRET), "databases", "--json", "postgresql://u@db.internal/fleet");
        assertEquals(0, one.code(), one.err());
        assertTrue(one.out().contains("\"passwordFrom\" : \"PGPASSWORD\""), one.out());
        assertTrue(one.out().contains("\"jdbcUrl\" : \"jdbc:postgresql://db.internal:5432/fleet\""), one.out());

        var none = run(Map.of("HOME", home.resolve("empty").toString()), "databases");
        assertEquals(0, none.code(), none.err());
        assertTrue(none.out().contains("no aliases"), none.out());
    }
}
