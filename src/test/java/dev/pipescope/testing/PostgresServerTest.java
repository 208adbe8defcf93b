package dev.pipescope.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.Secret;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** The test server is a real PostgreSQL that checks passwords: the PostgreSQL tests rely on both. */
class PostgresServerTest {

    @Test
    void newDatabaseIsARealEmptyPostgresqlDatabase() throws SQLException {
        var target = PostgresServer.get().newDatabase("smoke");
        try (var connection = DriverManager.getConnection(target.jdbcUrl(), target.user().orElseThrow(),
                target.password().map(Secret::reveal).orElse(null));
             var result = connection.createStatement().executeQuery(
                     "SELECT current_database(), (SELECT count(*) FROM pg_tables WHERE schemaname = 'public'),"
                             + " current_setting('server_version_num')::int")) {
            assertTrue(result.next());
            assertEquals(target.database(), result.getString(1));
            assertEquals(0, result.getLong(2));
            assertTrue(result.getInt(3) >= 120_000, "server version " + result.getInt(3));
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        var target = PostgresServer.get().admin();
        var refused = assertThrows(SQLException.class,
                () -> DriverManager.getConnection(target.jdbcUrl(), target.user().orElseThrow(), "wrong").close());
        assertEquals("28P01", refused.getSQLState(), refused.getMessage());
    }
}
