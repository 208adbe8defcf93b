package dev.pipescope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pipescope.testing.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The credentials an alias resolves to log in to a real PostgreSQL server (password authentication, SCRAM):
 * found in a {@code ~/.pgpass} with escapes and wildcards, overridden by the environment as documented.
 */
class DatabaseConfigServerTest {
    @TempDir
    Path home;
    PostgresServer server;
    String role;
    String password;
    ServerTarget database;

    @BeforeEach
    void role() {
        server = PostgresServer.get();
        role = "cfg_" + UUID.randomUUID().toString().substring(0, 8);
        // a colon and a backslash, which the password file must escape
        password = "Pw:" + UUID.randomUUID().toString().substring(0, 8) + "\\x";
        server.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
        database = server.newDatabase("cfg");
    }

    @AfterEach
    void dropRole() {
        server.execute("DROP DATABASE " + database.database());
        server.execute("DROP ROLE " + role);
    }

    Map<String, String> env(String... namesAndValues) throws IOException {
        var config = home.resolve(".config/pipescope/pipescope.properties");
        Files.createDirectories(config.getParent());
        Files.writeString(config, "database.fleet.url=postgresql://" + role + "@" + database.host() + ":" + database.port()
                + "/" + database.database() + "\n");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
        var env = new HashMap<String, String>();
        env.put("HOME", home.toString());
        for (int i = 0; i < namesAndValues.length; i += 2) {
            env.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return env;
    }

    static String currentUser(DatabaseLocation location) throws SQLException {
        var target = ((DatabaseLocation.Server) location).target();
        try (var connection = DriverManager.getConnection(target.jdbcUrl(), target.user().orElseThrow(),
                target.password().map(Secret::reveal).orElse(null));
             var result = connection.createStatement().executeQuery("SELECT current_user")) {
            result.next();
            return result.getString(1);
        }
    }

    @Test
    void aPasswordFromPgpassLogsIn() throws Exception {
        var escaped = password.replace("\\", "\\\\").replace(":", "\\:");
        var pgpass = home.resolve(".pgpass");
        Files.writeString(pgpass, String.join("\n",
                "# other servers first",
                "elsewhere:*:*:*:not-this",
                database.host() + ":" + database.port() + ":*:" + role + ":" + escaped) + "\n");
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));

        var location = DatabaseConfig.of(env()).resolve("fleet");

        assertEquals(Optional.of(pgpass + " line 3"), ((DatabaseLocation.Server) location).passwordFrom());
        assertEquals(role, currentUser(location));
    }

    @Test
    void theEnvironmentsPasswordWinsOverPgpasswordAndAWrongOneIsRefusedByTheServer() throws Exception {
        var right = DatabaseConfig.of(env("PGPASSWORD", "wrong", "PIPESCOPE_DATABASE_FLEET_PASSWORD", password)).resolve("fleet");
        assertEquals(role, currentUser(right));

        var wrong = DatabaseConfig.of(env("PGPASSWORD", password, "PIPESCOPE_DATABASE_FLEET_PASSWORD", "wrong")).resolve("fleet");
        var refused = assertThrows(SQLException.class, () -> currentUser(wrong));
        assertEquals("28P01", refused.getSQLState(), "invalid_password: " + refused.getMessage());

        var fromPgpassword = DatabaseConfig.of(env("PGPASSWORD", password)).resolve("fleet");
        assertEquals(role, currentUser(fromPgpassword));
    }
}
