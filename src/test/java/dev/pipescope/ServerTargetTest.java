package dev.pipescope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.error.InvalidArgumentException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerTargetTest {

    @Test
    void libpqUrlWithPasswordKeepsThePasswordOutOfEveryText() {
        var target = ServerTarget.parse("postgresql://analyst:s3cr%40t@db.internal:6543/fleet?sslmode=require");

        assertEquals("db.internal", target.host());
        assertEquals(6543, target.port());
        assertEquals("fleet", target.database());
        assertEquals(Optional.of("analyst"), target.user());
        assertEquals("s3cr@t", target.password().orElseThrow().reveal());
        assertEquals("jdbc:postgresql://db.internal:6543/fleet?sslmode=require", target.jdbcUrl());
        assertEquals("postgresql://analyst@db.internal:6543/fleet", target.location());
        assertFalse(target.toString().contains("s3cr"), target.toString());
    }

    @Test
    void jdbcUrlTakesUserAndPasswordOutOfItsParameters() {
        var target = ServerTarget.parse("jdbc:postgresql://localhost/runs?user=etl&password=hunter2&ApplicationName=x");

        assertEquals(ServerTarget.DEFAULT_PORT, target.port());
        assertEquals(Optional.of("etl"), target.user());
        assertEquals(Optional.of("hunter2"), target.password().map(Secret::reveal));
        assertEquals(List.of("ApplicationName=x"), target.parameters());
        assertFalse(target.jdbcUrl().contains("hunter2") || target.jdbcUrl().contains("user="), target.jdbcUrl());
    }

    @Test
    void postgresSchemeAndNoUserAreAccepted() {
        var target = ServerTarget.parse("postgres://10.0.0.5:5433/db");

        assertEquals(Optional.empty(), target.user());
        assertEquals(Optional.empty(), target.password());
        assertEquals("postgresql://10.0.0.5:5433/db", target.location());
        assertTrue(ServerTarget.isServerUrl(" JDBC:postgresql://h/d"));
        assertFalse(ServerTarget.isServerUrl("/tmp/postgresql.db"));
    }

    @Test
    void badUrlsAreRefusedWithoutShowingThePassword() {
        var noDatabase = assertThrows(InvalidArgumentException.class, () -> ServerTarget.parse("postgresql://u:topsecret@host"));
        assertTrue(noDatabase.getMessage().contains("names no database"), noDatabase.getMessage());
        assertFalse(noDatabase.getMessage().contains("topsecret"), noDatabase.getMessage());

        var badPort = assertThrows(InvalidArgumentException.class, () -> ServerTarget.parse("postgresql://u:topsecret@host:abc/db"));
        assertTrue(badPort.getMessage().contains("'abc'"), badPort.getMessage());
        assertFalse(badPort.getMessage().contains("topsecret"), badPort.getMessage());

        var otherScheme = assertThrows(InvalidArgumentException.class, () -> ServerTarget.parse("mysql://host/db"));
        assertTrue(otherScheme.getMessage().contains("not a PostgreSQL URL"), otherScheme.getMessage());
    }

    @Test
    void secretsPrintAsStars() {
        var target = ServerTarget.parse("postgresql://a@h/d").withCredentials(Optional.of("a"), Optional.of(Secret.of("pw1")));

        assertEquals("Optional[****]", String.valueOf(target.password()));
        assertFalse(ServerTarget.redact("jdbc:postgresql://h/d?user=a&password=pw1").contains("pw1"));
        assertEquals("postgresql://a:****@h/d", ServerTarget.redact("postgresql://a:pw1@h/d"));
    }

    @Test
    void aPasswordWrittenWithUrlCharactersIsReadAndBlankedWhole() {
        for (var password : List.of("p@ss", "pa/ss", "pa?ss", "pa:ss", "a@b/c?d")) {
            var url = "postgresql://analyst:" + password + "@db.internal:5433/fleet";
            var target = ServerTarget.parse(url);
            assertEquals(password, target.password().orElseThrow().reveal(), url);
            assertEquals("db.internal", target.host(), url);
            assertEquals(5433, target.port(), url);
            assertEquals("fleet", target.database(), url);
            assertEquals("postgresql://analyst:****@db.internal:5433/fleet", ServerTarget.redact(url));
        }
        // an @ in a query parameter is no user part
        var jdbc = ServerTarget.parse("jdbc:postgresql://h/db?user=me@corp&password=x");
        assertEquals(Optional.of("me@corp"), jdbc.user());
        assertEquals("h", jdbc.host());
        assertEquals("jdbc:postgresql://h/db?user=me@corp&password=****",
                ServerTarget.redact("jdbc:postgresql://h/db?user=me@corp&password=x"));
    }

    @Test
    void aParameterHoldingAPasswordIsBlankedInEveryText() {
        var target = ServerTarget.parse("jdbc:postgresql://h/db?sslmode=verify-full&sslpassword=keyS3cret&ssl=true");

        assertEquals(List.of("sslmode=verify-full", "sslpassword=keyS3cret", "ssl=true"), target.parameters(),
                "the driver still gets it");
        assertFalse(target.toString().contains("keyS3cret"), target.toString());
        assertTrue(target.toString().contains("sslpassword=****&ssl=true"), target.toString());
        assertEquals("jdbc:postgresql://h:5432/db?sslmode=verify-full&sslpassword=****&ssl=true",
                ServerTarget.redact(target.jdbcUrl()));
    }
}
