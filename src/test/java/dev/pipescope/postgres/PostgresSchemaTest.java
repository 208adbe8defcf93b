package dev.pipescope.postgres;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.ConnectionSettings;
import dev.pipescope.error.UnsupportedServerException;
import dev.pipescope.testing.PostgresServer;
import org.junit.jupiter.api.Test;

/** The server version check, and reading a database's tables before judging it. */
class PostgresSchemaTest {

    @Test
    void aServerBeforeTwelveIsRefusedNamingItsVersion() {
        var old = assertThrows(UnsupportedServerException.class,
                () -> PostgresSchema.requireSupported(110_022, "postgresql://me@old.internal:5432/fleet"));
        assertTrue(old.getMessage().contains("11.22") && old.getMessage().contains("old.internal")
                && old.getMessage().contains("PostgreSQL 12"), old.getMessage());
        var older = assertThrows(UnsupportedServerException.class,
                () -> PostgresSchema.requireSupported(90_624, "postgresql://me@old.internal:5432/fleet"));
        assertTrue(older.getMessage().contains("9.6.24"), older.getMessage());
        assertDoesNotThrow(() -> PostgresSchema.requireSupported(120_000, "x"));
    }

    @Test
    void theTestServerIsSupportedAndItsTablesAreReadWithTheirColumnsInOrder() {
        var target = PostgresServer.get().newDatabase("schema");
        try (var connections = PostgresConnections.open(target, ConnectionSettings.readWrite())) {
            connections.withWriterConnection("create", c -> c.createStatement()
                    .execute("CREATE TABLE b (z int, a text); CREATE TABLE a (id int); CREATE VIEW v AS SELECT 1 AS one"));
            var tables = connections.read("inspect", h -> {
                try {
                    return PostgresSchema.tables(h.getConnection());
                } catch (java.sql.SQLException e) {
                    throw connections.translate(e, "inspect");
                }
            });
            assertEquals("{a=[id], b=[z, a]}", tables.toString(), "views are not tables");
            int version = connections.read("version", h -> {
                try {
                    return PostgresSchema.serverVersion(h.getConnection());
                } catch (java.sql.SQLException e) {
                    throw connections.translate(e, "version");
                }
            });
            assertTrue(version >= PostgresSchema.OLDEST_SERVER_VERSION, "server " + version);
        }
    }
}
